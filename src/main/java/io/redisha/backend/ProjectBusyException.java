package io.redisha.backend;

/** Another redisha command holds the project's lock. */
public class ProjectBusyException extends RuntimeException {
    public ProjectBusyException(String message) {
        super(message);
    }
}
