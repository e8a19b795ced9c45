package io.redisha.topology;

import java.util.List;

/**
  * The Sentinel service and the {@code sentinel monitor} settings every Sentinel gets.
  *
  * @param hostPorts entry i fixes the host port of Sentinel i+1; may be shorter than count
  */
public record Sentinels(
        int count,
        int quorum,
        String masterName,
        int downAfterMillis,
        int failoverTimeoutMillis,
        int parallelSyncs,
        List<Integer> hostPorts) {

    public static final int DEFAULT_COUNT = 3;
    public static final int DEFAULT_QUORUM = 2;
    public static final String DEFAULT_MASTER_NAME = "mymaster";
    public static final int DEFAULT_DOWN_AFTER_MILLIS = 5000;
    public static final int DEFAULT_FAILOVER_TIMEOUT_MILLIS = 5000;
    public static final int DEFAULT_PARALLEL_SYNCS = 1;

    public Sentinels {
        hostPorts = hostPorts == null ? List.of() : List.copyOf(hostPorts);
    }

    public static Sentinels defaults() {
        return new Sentinels(DEFAULT_COUNT, DEFAULT_QUORUM, DEFAULT_MASTER_NAME,
                DEFAULT_DOWN_AFTER_MILLIS, DEFAULT_FAILOVER_TIMEOUT_MILLIS, DEFAULT_PARALLEL_SYNCS, List.of());
    }

    /** The fixed host port of Sentinel {@code index1Based}, or null when it is ephemeral. */
    public Integer hostPort(int index1Based) {
        return HostPorts.get(hostPorts, index1Based);
    }
}
