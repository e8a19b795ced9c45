package io.redisha.cluster;

/** The topology cannot be deployed as written on this host (a fixed port is taken); nothing was created. */
public class PreflightException extends RuntimeException {
    public PreflightException(String message) {
        super(message);
    }
}
