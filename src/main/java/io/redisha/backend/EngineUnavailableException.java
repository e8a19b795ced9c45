package io.redisha.backend;

/** The engine does not answer at the configured address. */
public class EngineUnavailableException extends BackendException {
    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
