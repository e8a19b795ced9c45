package io.redisha.tls;

/** A certificate, key or TLS connection that cannot be used; the message is one line naming the file or address. */
public final class TlsException extends RuntimeException {
    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
