package io.redisha.topology;

import java.util.List;
import java.util.Map;

/**
 * The users redisha itself needs when {@code auth.users} is declared, by the name they have on the
 * servers, with their minimal rules (see docs/users.md for why each permission is there). Every other
 * name under {@code auth.users} is an application user on the Redis nodes.
 */
public final class Users {
    /** redisha itself: every command, key and channel, on the Redis nodes and the Sentinels. */
    public static final String ADMIN = "redisha";
    /** The replicas' login to their master ({@code masteruser}/{@code masterauth}). */
    public static final String REPLICATION = "replication";
    /** The Sentinels' login to the Redis nodes ({@code sentinel auth-user}/{@code auth-pass}). */
    public static final String SENTINEL = "sentinel";
    /** The Sentinels' login to each other ({@code sentinel sentinel-user}/{@code sentinel-pass}). */
    public static final String SENTINEL_PEER = "sentinel-peer";
    /** Clients that only ask the Sentinels where the master is. */
    public static final String DISCOVERY = "discovery";

    public static final List<String> COMPONENTS = List.of(ADMIN, REPLICATION, SENTINEL, SENTINEL_PEER, DISCOVERY);
    /**
     * The users whose passwords servers write into their own configuration files ({@code masterauth},
     * Sentinel's {@code auth-pass} and {@code sentinel-pass}): see Passwords#checkWrittenBack.
     */
    public static final java.util.Set<String> WRITTEN_BACK = java.util.Set.of(REPLICATION, SENTINEL, SENTINEL_PEER);
    /**
     * The Prometheus exporters' login ({@code metrics.enabled}), on the Redis nodes and the Sentinels: required
     * only with metrics, with fixed rules that differ by kind of node (what redis_exporter sends each).
     */
    public static final String METRICS = "metrics";
    /** What redis_exporter sends a Redis node when CONFIG is not asked: its name, INFO ALL, the slow log, latency. */
    public static final String METRICS_REDIS_RULES = "-@all +client|setname +info +slowlog|get +slowlog|len +latency|latest";
    /** What it sends a Sentinel: its name, INFO ALL, and the masters, their Sentinels, replicas and quorum check. */
    public static final String METRICS_SENTINEL_RULES = "-@all +client|setname +info +sentinel|masters +sentinel|ckquorum"
            + " +sentinel|sentinels +sentinel|slaves";

    /** The channel Sentinels say hello on, through the Redis nodes and to each other. */
    public static final String HELLO_CHANNEL = "__sentinel__:hello";

    static final String ADMIN_RULES = "~* &* +@all";
    private static final Map<String, String> DEFAULTS = Map.of(
            ADMIN, ADMIN_RULES,
            REPLICATION, "-@all +psync +replconf +ping",
            SENTINEL, "-@all allchannels +multi +slaveof +ping +exec +subscribe +config|rewrite +role +publish +info"
                    + " +client|setname +client|kill +script|kill",
            SENTINEL_PEER, "-@all &" + HELLO_CHANNEL + " +client|setname +ping +publish +sentinel|is-master-down-by-addr",
            DISCOVERY, "-@all +auth +client|getname +client|id +client|setname +command +hello +ping +role"
                    + " +sentinel|get-master-addr-by-name +sentinel|master +sentinel|masters +sentinel|myid"
                    + " +sentinel|replicas +sentinel|slaves +sentinel|sentinels");

    private Users() {
    }

    /** The minimal rules of a component user; null for an application user (its rules are required). */
    public static String defaultRules(String name) {
        return DEFAULTS.get(name);
    }

    public static boolean isComponent(String name) {
        return COMPONENTS.contains(name) || name.equals(METRICS);
    }

    /** Whether the user exists on that kind of node: redisha's own and the exporters' are on both. */
    public static boolean on(String name, boolean sentinel) {
        return name.equals(ADMIN) || name.equals(METRICS) || onSentinels(name) == sentinel;
    }

    /** The rules in force for the user on that kind of node. */
    public static String rules(User user, boolean sentinel) {
        if (user.name().equals(METRICS)) {
            return sentinel ? METRICS_SENTINEL_RULES : METRICS_REDIS_RULES;
        }
        return user.effectiveRules();
    }

    /** Whether the user exists on the Sentinels (else on the Redis nodes); redisha's own is on both. */
    public static boolean onSentinels(String name) {
        return name.equals(SENTINEL_PEER) || name.equals(DISCOVERY);
    }
}
