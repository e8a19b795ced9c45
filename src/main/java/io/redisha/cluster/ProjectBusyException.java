package io.redisha.cluster;

/** Another redisha command holds the project's lock. */
public class ProjectBusyException extends RuntimeException {
    public ProjectBusyException(String message) {
        super(message);
    }
}
