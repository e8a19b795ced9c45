package io.redisha.cluster;

/** A change of settings refused before anything was changed; the message says why in one line (exit 6). */
public final class ChangeRefusedException extends RuntimeException {
    public ChangeRefusedException(String message) {
        super(message);
    }
}
