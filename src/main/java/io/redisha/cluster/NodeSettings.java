package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.Users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a node, from the topology alone: those only a new container can change, recorded
 * on the node as {@code field=hash} pairs ({@link #recorded}) so that a later run can say which
 * differ without the label holding a password; and those Redis and Sentinel take at run time
 * ({@link #redisRuntime}, {@link #sentinelRuntime}), compared with the live values instead.
 *
 * <p>Nothing dynamic goes in: not the master a node follows, not its address, not what a Sentinel
 * learnt about the others, so a node recreated after a failover records the same settings.
 */
final class NodeSettings {
    /** The field that says TLS is on; a node recording it differs from a topology without TLS. */
    static final String TLS = "tls";
    /** The passwords of the single-password mode; a node recording it differs from a topology with users. */
    static final String AUTH = "auth";
    /** The users and their rules ({@code auth.users}), never their passwords. */
    static final String USERS = "users";
    /** The exporter beside the node ({@code metrics.enabled}) and its image. */
    static final String METRICS = "metrics";

    private final Topology topology;
    private final Secrets secrets;
    /**
     * Whether a changed password of the single-password mode is rotated in place ({@link SinglePasswordRotation}):
     * then the nodes record only whether each password is set; else (a backend that cannot read or replace a
     * running node's files) the passwords themselves, hashed, and a changed one makes new containers.
     */
    private final boolean passwordsInPlace;
    /** Nodes (by id) whose certificate is due for renewal where it cannot be renewed in place: replaced instead. */
    private volatile java.util.Set<String> certificatesDue = java.util.Set.of();

    NodeSettings(Topology topology, Secrets secrets) {
        this(topology, secrets, true);
    }

    NodeSettings(Topology topology, Secrets secrets, boolean passwordsInPlace) {
        this.topology = topology;
        this.secrets = secrets;
        this.passwordsInPlace = passwordsInPlace;
    }

    /** How many replicas the Sentinels reconfigure at once after a failover ({@code sentinels.parallel-syncs}). */
    int parallelSyncs() {
        return topology.sentinels().parallelSyncs();
    }

    /** What needs a new container, by field, as given in the topology. */
    Map<String, String> containerFields(Service service, int index) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("image", topology.image());
        fields.put("port", topology.bind() + ":" + hostPort(service, index));
        if (service == Service.SENTINEL) {
            fields.put("master-name", topology.sentinels().masterName());
            if (topology.auth().hasUsers()) {
                fields.put(USERS, users(true));
            } else {
                fields.put(AUTH, auth(true, passwordsInPlace));
            }
        } else {
            fields.put("memory", String.valueOf(topology.resources().memoryBytes()));
            fields.put("persistence", topology.persistence().name());
            fields.put("restart-protection", topology.master().restartProtection() ? "on" : "off");
            if (topology.auth().hasUsers()) {
                fields.put(USERS, users(false));
            } else {
                fields.put(AUTH, auth(false, passwordsInPlace));
            }
        }
        if (topology.metrics().enabled()) {
            // recorded only with metrics on, as TLS: nodes made without them record what they did before
            fields.put(METRICS, topology.metrics().image());
        }
        if (topology.tls().enabled()) {
            // recorded only with TLS on, so that nodes made without it record what they did before
            fields.put(TLS, "on");
            fields.put("tls-auth-clients", topology.tls().authClients().word());
        }
        return fields;
    }

    /**
     * The single-password mode's passwords of a node: whether each is set ({@code presence}), or, where they
     * are not rotated in place, the passwords themselves (as every node recorded them before they were
     * rotated in place). Without a password both read "null", so such nodes compare equal either way.
     */
    private String auth(boolean sentinel, boolean presence) {
        String redis = presence ? set(secrets.redisPassword()) : secrets.redisPassword();
        String text = "redis " + redis;
        if (sentinel) {
            text += " sentinel " + (presence ? set(secrets.sentinelPassword()) : secrets.sentinelPassword());
        }
        return text;
    }

    private static String set(String password) {
        return password == null ? null : "set";
    }

    /**
     * Whether a node's recorded passwords differ from the topology's by more than their values: a password
     * added or removed. A node that recorded the passwords themselves (and not only whether they were
     * set) is taken to have the same ones set: its passwords are rotated in place.
     */
    private boolean authPresenceDiffers(Service service, String recorded) {
        boolean sentinel = service == Service.SENTINEL;
        if (hash(AUTH, auth(sentinel, true)).equals(recorded) || hash(AUTH, auth(sentinel, false)).equals(recorded)) {
            return false;
        }
        List<String> presences = new ArrayList<>();
        for (String redis : new String[] {null, "set"}) {
            if (!sentinel) {
                presences.add("redis " + redis);
                continue;
            }
            for (String own : new String[] {null, "set"}) {
                presences.add("redis " + redis + " sentinel " + own);
            }
        }
        // one of the presence forms, and not the topology's: a password was added or removed
        return presences.stream().anyMatch(p -> hash(AUTH, p).equals(recorded));
    }

    /**
     * The users of a node by name and rules, without their passwords: a changed password is rotated in
     * place ({@link PasswordRotation}), changed rules or users make new containers.
     */
    private String users(boolean sentinel) {
        StringBuilder text = new StringBuilder("users");
        topology.auth().users().values().stream()
                .filter(u -> Users.on(u.name(), sentinel))
                .forEach(u -> text.append('\n').append(u.name()).append(' ').append(Users.rules(u, sentinel)));
        return text.toString();
    }

    /** The label value: "image=1a2b3c4d,port=...", each value hashed with the project so no secret shows. */
    String recorded(Service service, int index) {
        List<String> pairs = new ArrayList<>();
        containerFields(service, index).forEach((field, value) -> pairs.add(field + "=" + hash(field, value)));
        return String.join(",", pairs);
    }

    /** The nodes (by id) whose certificate must be renewed by replacing them. */
    void certificatesDue(java.util.Set<String> ids) {
        certificatesDue = java.util.Set.copyOf(ids);
    }

    /**
     * Why the node needs a new container: the fields whose recorded hash differs ("image redis:7 ->
     * redis:8", "memory"); empty when none does. A node that recorded nothing (made by an older
     * redisha) is compared by its image alone, and only for Redis servers, whose image is the topology's.
     */
    List<String> differences(Node node) {
        List<String> reasons = new ArrayList<>();
        if (node.settings() == null) {
            if (node.service() != Service.SENTINEL && node.image() != null && !node.image().equals(topology.image())) {
                reasons.add("image " + node.image() + " -> " + topology.image());
            }
            return reasons;
        }
        if (certificatesDue.contains(node.id())) {
            reasons.add("certificate expires within tls.renew-within-days");
        }
        Map<String, String> was = parse(node.settings());
        Map<String, String> now = containerFields(node.service(), node.index());
        if (was.containsKey(TLS) && !now.containsKey(TLS)) {
            reasons.add(TLS);
        }
        if (was.containsKey(METRICS) && !now.containsKey(METRICS)) {
            reasons.add(METRICS);
        }
        if (was.containsKey(AUTH) != now.containsKey(AUTH)) {
            // from one password to users or back: nodes of one kind cannot log in to nodes of the other
            reasons.add(AUTH);
        } else if (now.containsKey(AUTH) && (passwordsInPlace ? authPresenceDiffers(node.service(), was.get(AUTH))
                : !hash(AUTH, now.get(AUTH)).equals(was.get(AUTH)))) {
            reasons.add(AUTH);
        }
        now.forEach((field, value) -> {
            if (field.equals(AUTH)) {
                return; // compared above
            }
            if (!hash(field, value).equals(was.get(field))) {
                if (!field.equals("image")) {
                    reasons.add(field);
                } else if (node.service() == Service.SENTINEL || node.image() == null) {
                    reasons.add("image -> " + value);
                } else {
                    reasons.add("image " + node.image() + " -> " + value);
                }
            }
        });
        return reasons;
    }

    /** The run-time settings of a Redis server, by CONFIG name, as CONFIG GET reports them. */
    Map<String, String> redisRuntime(Service service, int index) {
        Map<String, String> values = new LinkedHashMap<>();
        Long maxmemory = topology.resources().maxmemoryBytes();
        values.put("maxmemory", String.valueOf(maxmemory == null ? 0 : maxmemory));
        if (maxmemory != null) {
            // written only with maxmemory (see NodeFactory), so compared only then
            values.put("maxmemory-policy", topology.resources().maxmemoryPolicy());
        }
        values.put("min-replicas-to-write", String.valueOf(topology.master().minReplicasToWrite()));
        values.put("min-replicas-max-lag", String.valueOf(topology.master().minReplicasMaxLag()));
        values.put("replica-priority", String.valueOf(replicaPriority(service, index)));
        return values;
    }

    int replicaPriority(Service service, int index) {
        return service == Service.REPLICA ? topology.replicas().priority(index) : 100;
    }

    /** How a Sentinel logs in to the Redis nodes, by SENTINEL SET name: auth-user and auth-pass, auth-pass, or nothing. */
    Map<String, String> sentinelAuth() {
        Map<String, String> values = new LinkedHashMap<>();
        if (topology.auth().hasUsers()) {
            values.put("auth-user", Users.SENTINEL);
            values.put("auth-pass", secrets.password(Users.SENTINEL));
        } else if (secrets.redisPassword() != null) {
            values.put("auth-pass", secrets.redisPassword());
        }
        return values;
    }

    /** The run-time settings of a Sentinel for the monitored master, by SENTINEL SET name, as SENTINEL MASTER reports them. */
    Map<String, String> sentinelRuntime() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("quorum", String.valueOf(topology.sentinels().quorum()));
        values.put("down-after-milliseconds", String.valueOf(topology.sentinels().downAfterMillis()));
        values.put("failover-timeout", String.valueOf(topology.sentinels().failoverTimeoutMillis()));
        values.put("parallel-syncs", String.valueOf(topology.sentinels().parallelSyncs()));
        return values;
    }

    private Integer hostPort(Service service, int index) {
        return switch (service) {
            case MASTER -> topology.master().hostPort();
            case REPLICA -> topology.replicas().hostPort(index);
            case SENTINEL -> topology.sentinels().hostPort(index);
        };
    }

    private String hash(String field, String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((topology.project() + "\n" + field + "\n" + value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    private static Map<String, String> parse(String recorded) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : recorded.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return fields;
    }
}
