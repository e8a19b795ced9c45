package io.redisha.topology;

/**
  * The passwords themselves, read by {@link TopologyLoader#secrets(LoadedTopology, java.util.Map)}.
  * Kept out of {@link Topology} so that a topology can be printed, logged and compared safely.
  *
  * @param redisPassword Redis {@code requirepass} and {@code masterauth}, or null for none
  * @param sentinelPassword Sentinel's own {@code requirepass}, or null for none
  * @param userPasswords    the password of each user of {@code auth.users}, by name; empty without users
  */
public record Secrets(String redisPassword, String sentinelPassword, java.util.Map<String, String> userPasswords) {

    public Secrets {
        userPasswords = userPasswords == null ? java.util.Map.of() : java.util.Map.copyOf(userPasswords);
    }

    public Secrets(String redisPassword, String sentinelPassword) {
        this(redisPassword, sentinelPassword, java.util.Map.of());
    }

    public static Secrets none() {
        return new Secrets(null, null);
    }

    /** The password of a user of {@code auth.users}, or null. */
    public String password(String user) {
        return userPasswords.get(user);
    }

    /** {@code Secrets[redis=set, sentinel=none, users=[app, redisha]]}: whether each is set, never the value. */
    @Override
    public String toString() {
        return "Secrets[redis=" + shown(redisPassword) + ", sentinel=" + shown(sentinelPassword)
                + (userPasswords.isEmpty() ? "" : ", users=" + new java.util.TreeSet<>(userPasswords.keySet())) + "]";
    }

    private static String shown(String password) {
        return password == null ? "none" : "set";
    }
}
