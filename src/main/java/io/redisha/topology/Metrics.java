package io.redisha.topology;

/**
 * Prometheus metrics: with {@code enabled}, a redis_exporter beside every Redis node and every Sentinel,
 * created, replaced and removed with the node it watches, its port published on the topology's bind
 * address ({@code redisha connect --output prometheus} lists them).
 *
 * @param image the exporter's image: the official {@code oliver006/redis_exporter} or one built like it
 * @param port  the first fixed host port of the exporters ({@link #hostPort}), or null: ephemeral ports on
 *              one engine, {@link #PORT} on Swarm
 */
public record Metrics(boolean enabled, String image, Integer port) {
    public static final String DEFAULT_IMAGE = "oliver006/redis_exporter:v1.45.0";
    /** The port the exporter serves {@code /metrics} on inside its container (its default). */
    public static final int PORT = 9121;
    /**
     * How far above {@code port} the Sentinels' exporters start: the Redis nodes' take {@code port} (the
     * master) to {@code port + replicas}, so at most this many minus one replicas have one.
     */
    public static final int SENTINEL_OFFSET = 50;

    public Metrics(boolean enabled, String image) {
        this(enabled, image, null);
    }

    public static Metrics off() {
        return new Metrics(false, DEFAULT_IMAGE);
    }

    /**
     * The fixed host port of a node's exporter, from its slot, so that it stays when nodes are added or
     * removed: the master's {@code port}, replica i's {@code port + i}, Sentinel i's
     * {@code port + SENTINEL_OFFSET + i - 1}; null when the ports are ephemeral.
     *
     * @param swarm    on Swarm the ports are always fixed ({@link #PORT} without {@code port}): a host-mode port
     *                 is published on whichever host runs the task, and the targets must not move
     * @param sentinel a Sentinel's exporter, else a Redis node's
     * @param index    the replica's or Sentinel's number (1-based); 0 for the master
     */
    public Integer hostPort(boolean swarm, boolean sentinel, int index) {
        Integer first = port != null ? port : (swarm ? Integer.valueOf(PORT) : null);
        if (first == null) {
            return null;
        }
        return sentinel ? first + SENTINEL_OFFSET + index - 1 : first + index;
    }
}
