package io.redisha.cluster;

import java.util.List;

/** The deployment did not become ready in time, or a node failed while redisha waited for it. */
public class NotReadyException extends RuntimeException {
    private final transient ClusterStatus lastStatus;
    private final List<String> logs;

    public NotReadyException(String message, ClusterStatus lastStatus, List<String> logs) {
        super(message);
        this.lastStatus = lastStatus;
        this.logs = List.copyOf(logs);
    }

    public ClusterStatus lastStatus() {
        return lastStatus;
    }

    /** The last log lines of the container at fault, labelled with its name; empty when there is none. */
    public List<String> logs() {
        return logs;
    }
}
