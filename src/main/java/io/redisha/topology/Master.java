package io.redisha.topology;

/**
  * The master service.
  *
  * @param hostPort fixed host port, or null for an ephemeral one
  * @param minReplicasToWrite Redis {@code min-replicas-to-write}
  * @param minReplicasMaxLag Redis {@code min-replicas-max-lag}, in seconds
  * @param restartProtection whether a Redis node starts through the script that keeps a restarted
  *                          master from serving a data set its replicas would copy (docs/running-safely.md,
  *                          "Restart before detection"); off only to demonstrate the loss
  */
public record Master(Integer hostPort, int minReplicasToWrite, int minReplicasMaxLag, boolean restartProtection) {

    public Master(Integer hostPort, int minReplicasToWrite, int minReplicasMaxLag) {
        this(hostPort, minReplicasToWrite, minReplicasMaxLag, true);
    }

    public static final int DEFAULT_MIN_REPLICAS_TO_WRITE = 0;
    public static final int DEFAULT_MIN_REPLICAS_MAX_LAG = 10;

    public static Master defaults() {
        return new Master(null, DEFAULT_MIN_REPLICAS_TO_WRITE, DEFAULT_MIN_REPLICAS_MAX_LAG);
    }
}
