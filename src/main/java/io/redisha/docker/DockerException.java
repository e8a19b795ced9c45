package io.redisha.docker;

/** A Docker operation failed; the message names the object and the operation. */
public class DockerException extends RuntimeException {
    public DockerException(String message, Throwable cause) {
        super(message, cause);
    }

    public DockerException(String message) {
        super(message);
    }
}
