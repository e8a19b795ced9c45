package io.redisha.cluster;

import java.util.List;

/** The deployment did not become ready in time, or a node failed while redisha waited for it. */
public class NotReadyException extends RuntimeException {
    private final List<String> logs;

    public NotReadyException(String message) {
        this(message, List.of());
    }

    public NotReadyException(String message, List<String> logs) {
        super(message);
        this.logs = List.copyOf(logs);
    }

    /** The last log lines of the node at fault, labelled with its name; empty when there is none. */
    public List<String> logs() {
        return logs;
    }
}
