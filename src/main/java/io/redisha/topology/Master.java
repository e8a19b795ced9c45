package io.redisha.topology;

/**
  * The master service.
  *
  * @param hostPort fixed host port, or null for an ephemeral one
  * @param minReplicasToWrite Redis {@code min-replicas-to-write}
  * @param minReplicasMaxLag Redis {@code min-replicas-max-lag}, in seconds
  */
public record Master(Integer hostPort, int minReplicasToWrite, int minReplicasMaxLag) {

    public static final int DEFAULT_MIN_REPLICAS_TO_WRITE = 0;
    public static final int DEFAULT_MIN_REPLICAS_MAX_LAG = 10;

    public static Master defaults() {
        return new Master(null, DEFAULT_MIN_REPLICAS_TO_WRITE, DEFAULT_MIN_REPLICAS_MAX_LAG);
    }
}
