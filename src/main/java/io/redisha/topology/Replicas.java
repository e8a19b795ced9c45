package io.redisha.topology;

import java.util.List;

/**
  * The replica service.
  *
  * @param hostPorts entry i fixes the host port of replica i+1; may be shorter than count
  * @param priorities entry i is the {@code replica-priority} of replica i+1 (0 = never promoted);
  *     may be shorter than count, missing entries are {@link #DEFAULT_PRIORITY}
  */
public record Replicas(int count, List<Integer> hostPorts, List<Integer> priorities) {

    public static final int DEFAULT_COUNT = 2;
    /** Redis' own default {@code replica-priority}. */
    public static final int DEFAULT_PRIORITY = 100;
    public static final int MAX_PRIORITY = 1000;

    public Replicas {
        hostPorts = hostPorts == null ? List.of() : List.copyOf(hostPorts);
        priorities = priorities == null ? List.of() : List.copyOf(priorities);
    }

    public Replicas(int count, List<Integer> hostPorts) {
        this(count, hostPorts, List.of());
    }

    public static Replicas defaults() {
        return new Replicas(DEFAULT_COUNT, List.of(), List.of());
    }

    /** The fixed host port of replica {@code index1Based}, or null when it is ephemeral. */
    public Integer hostPort(int index1Based) {
        return HostPorts.get(hostPorts, index1Based);
    }

    /** The {@code replica-priority} of replica {@code index1Based}. */
    public int priority(int index1Based) {
        Integer priority = HostPorts.get(priorities, index1Based);
        return priority == null ? DEFAULT_PRIORITY : priority;
    }
}
