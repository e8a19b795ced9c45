package io.redisha.docker;

/** The Docker engine does not answer at the configured host. */
public class EngineUnavailableException extends DockerException {
    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
