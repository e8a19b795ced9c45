package io.redisha.topology;

/**
 * Prometheus metrics: with {@code enabled}, a redis_exporter beside every Redis node and every Sentinel,
 * created, replaced and removed with the node it watches, its port published on the topology's bind
 * address (an ephemeral port; {@code redisha connect --output prometheus} lists them).
 *
 * @param image the exporter's image: the official {@code oliver006/redis_exporter} or one built like it
 */
public record Metrics(boolean enabled, String image) {
    public static final String DEFAULT_IMAGE = "oliver006/redis_exporter:v1.45.0";
    /** The port the exporter serves {@code /metrics} on inside its container (its default). */
    public static final int PORT = 9121;

    public static Metrics off() {
        return new Metrics(false, DEFAULT_IMAGE);
    }
}
