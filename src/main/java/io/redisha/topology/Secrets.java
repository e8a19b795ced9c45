package io.redisha.topology;

/**
  * The passwords themselves, read by {@link TopologyLoader#secrets(LoadedTopology, java.util.Map)}.
  * Kept out of {@link Topology} so that a topology can be printed, logged and compared safely.
  *
  * @param redisPassword Redis {@code requirepass} and {@code masterauth}, or null for none
  * @param sentinelPassword Sentinel's own {@code requirepass}, or null for none
  */
public record Secrets(String redisPassword, String sentinelPassword) {

    public static Secrets none() {
        return new Secrets(null, null);
    }

    /** {@code Secrets[redis=set, sentinel=none]}: whether each is set, never the value. */
    @Override
    public String toString() {
        return "Secrets[redis=" + shown(redisPassword) + ", sentinel=" + shown(sentinelPassword) + "]";
    }

    private static String shown(String password) {
        return password == null ? "none" : "set";
    }
}
