package io.redisha.backend;

/** An engine operation failed; the message names the object and the operation. No engine client's exception leaves a backend otherwise. */
public class BackendException extends RuntimeException {
    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }

    public BackendException(String message) {
        super(message);
    }
}
