package io.redisha.topology;

/**
  * Where the passwords come from: the name of an environment variable or the path of a file,
  * never the password itself. At most one source per password; none means no password.
  *
  * @param passwordEnv variable holding the Redis password ({@code requirepass} and {@code masterauth})
  * @param passwordFile file holding it, relative to the topology file's directory
  * @param sentinelPasswordEnv variable holding Sentinel's own {@code requirepass}
  * @param sentinelPasswordFile file holding it
  * @param users the ACL users ({@code auth.users}) by name, in the file's order; empty for none
  * @see TopologyLoader#secrets(LoadedTopology, java.util.Map)
  */
public record Auth(String passwordEnv, String passwordFile, String sentinelPasswordEnv, String sentinelPasswordFile,
                   java.util.Map<String, User> users) {

    public Auth {
        users = users == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(users));
    }

    /** Without users. */
    public Auth(String passwordEnv, String passwordFile, String sentinelPasswordEnv, String sentinelPasswordFile) {
        this(passwordEnv, passwordFile, sentinelPasswordEnv, sentinelPasswordFile, java.util.Map.of());
    }

    public static Auth none() {
        return new Auth(null, null, null, null);
    }

    /** Whether {@code auth.users} is declared: every component logs in as its own user, {@code default} is off. */
    public boolean hasUsers() {
        return !users.isEmpty();
    }

    /** Whether Redis (master and replicas) gets a password. */
    public boolean redisAuth() {
        return passwordEnv != null || passwordFile != null || hasUsers();
    }

    /** Whether the Sentinels get a password of their own. */
    public boolean sentinelAuth() {
        return sentinelPasswordEnv != null || sentinelPasswordFile != null || hasUsers();
    }
}
