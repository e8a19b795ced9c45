package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.NodeSpec;
import io.redisha.backend.Service;
import io.redisha.sentinel.SentinelContext;
import io.redisha.sentinel.Template;
import io.redisha.topology.Persistence;
import io.redisha.topology.Resources;
import io.redisha.topology.Secrets;
import io.redisha.topology.Sentinels;
import io.redisha.topology.Topology;
import io.redisha.topology.AclRules;
import io.redisha.topology.User;
import io.redisha.topology.Users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Builds the container spec of each node: labels, name, published port, volume, memory limit and
 * the rendered configuration file, which is the only place a password goes.
 */
final class NodeFactory {
    private final Topology topology;
    private final Secrets secrets;
    private final SentinelContext context;
    private final Supplier<ServerImage> server;
    /** Read when first needed: commands that create no node never read them. */
    private Template sentinelTemplate;
    private Template redisTemplate;
    private final NodeSettings settings;
    private final ClusterTls tls;
    private final ExporterFactory exporters;
    /** The password hashes of a {@code default} user kept on while the deployment moves to users ({@link UsersMigration}). */
    private volatile List<String> keptRedisDefault;
    private volatile List<String> keptSentinelDefault;

    /** @param server the server of the topology's image, found when the first node is made */
    NodeFactory(Topology topology, Secrets secrets, SentinelContext context, Supplier<ServerImage> server) {
        this(topology, secrets, context, server, ClusterTls.none());
    }

    NodeFactory(Topology topology, Secrets secrets, SentinelContext context, Supplier<ServerImage> server, ClusterTls tls) {
        this(topology, secrets, context, server, tls, new NodeSettings(topology, secrets));
    }

    /** @param settings what the nodes record of their settings (see {@link NodeSettings}) */
    NodeFactory(Topology topology, Secrets secrets, SentinelContext context, Supplier<ServerImage> server, ClusterTls tls,
                NodeSettings settings) {
        this.tls = tls;
        this.topology = topology;
        this.secrets = secrets;
        this.server = server;
        this.context = context;
        this.settings = settings;
        this.exporters = new ExporterFactory(topology, secrets, tls);
    }

    private synchronized Template sentinelTemplate() {
        if (sentinelTemplate == null) {
            sentinelTemplate = context.sentinelTemplate();
        }
        return sentinelTemplate;
    }

    private synchronized Template redisTemplate() {
        if (redisTemplate == null) {
            redisTemplate = SentinelContext.redisTemplate();
        }
        return redisTemplate;
    }

    /**
     * @param masterHost the host a new node should follow: the master alias for a fresh deployment,
     *                   the current master's container name after a failover; null for the master itself
     */
    NodeSpec redis(Service service, int index, String masterHost) {
        return redis(service, index, masterHost, null);
    }

    /**
     * @param masterHost the host a new node should follow (the master's address, else its alias or
     *                   container name); null for the master itself
     * @param address    the node's fixed address on the network, or null for none
     */
    NodeSpec redis(Service service, int index, String masterHost, String address) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("min_replicas_to_write", topology.master().minReplicasToWrite());
        values.put("min_replicas_max_lag", topology.master().minReplicasMaxLag());
        values.put("replicaof", masterHost == null ? "" : "replicaof " + masterHost + " " + Service.MASTER.port());
        values.put("directives", redisDirectives(service, index));
        String config = redisTemplate().render(values);
        Integer hostPort = service == Service.MASTER ? topology.master().hostPort() : topology.replicas().hostPort(index);
        String name = Naming.container(topology.project(), service, index);
        String volume = topology.persistence() == Persistence.OFF ? null : Naming.dataVolume(name);
        return spec(service, index, topology.image(), List.of(server.get().binary(), Naming.REDIS_CONFIG_PATH), hostPort, Naming.REDIS_CONFIG_PATH, config, volume, topology.resources().memoryBytes(), address);
    }

    /**
     * While a deployment moves from one password to users with the former password kept ({@code up
     * --keep-old-passwords}), a node made now keeps {@code default} on with the same password hashes as the
     * others of its kind, so that applications not yet switched reach it too; null for off (as it ends).
     */
    void keepDefault(List<String> redisHashes, List<String> sentinelHashes) {
        this.keptRedisDefault = redisHashes == null ? null : List.copyOf(redisHashes);
        this.keptSentinelDefault = sentinelHashes == null ? null : List.copyOf(sentinelHashes);
    }

    /** The exporter of a node that runs, or null without metrics. */
    io.redisha.backend.ExporterSpec exporter(Node node) {
        return exporters.exporter(node.service(), node.index(), node.name());
    }

    /**
     * How a new node refers to a running master: by its address on the network when it has one (a name
     * can stop resolving while its container is down), else, or when the backend may move it to another
     * address (Swarm), by the alias or the container name.
     */
    static String masterHost(Node master, Backend backend) {
        if (master.networkIp() != null && !backend.addressesMove()) {
            return master.networkIp();
        }
        return master.service() == Service.MASTER ? Naming.MASTER_ALIAS : master.name();
    }

    List<String> redisDirectives(Service service, int index) {
        List<String> lines = new ArrayList<>();
        switch (topology.persistence()) {
            case OFF -> {
                lines.add("save \"\"");
                lines.add("appendonly no");
            }
            case RDB -> {
                lines.add("save 3600 1 300 100 60 10000");
                lines.add("appendonly no");
            }
            case AOF -> {
                lines.add("appendonly yes");
                lines.add("appendfsync everysec");
            }
        }
        Resources resources = topology.resources();
        if (resources.maxmemoryBytes() != null) {
            lines.add("maxmemory " + resources.maxmemoryBytes());
            lines.add("maxmemory-policy " + resources.maxmemoryPolicy());
        }
        int priority = settings.replicaPriority(service, index);
        lines.add("replica-priority " + priority);
        if (topology.auth().hasUsers()) {
            lines.addAll(userLines(false));
            lines.add("masteruser " + Users.REPLICATION);
            lines.add("masterauth " + Template.quote(secrets.password(Users.REPLICATION)));
        } else if (secrets.redisPassword() != null) {
            lines.add("requirepass " + Template.quote(secrets.redisPassword()));
            lines.add("masterauth " + Template.quote(secrets.redisPassword()));
        }
        lines.addAll(tls.directives(Service.MASTER.port()));
        return lines;
    }

    /**
     * The {@code user} lines of a Redis node's or a Sentinel's configuration: {@code default} off, redisha's own
     * user, and the users of that kind of node, each with its password as a SHA-256 hash only ({@code #...}).
     */
    List<String> userLines(boolean sentinel) {
        List<String> lines = new ArrayList<>();
        List<String> kept = sentinel ? keptSentinelDefault : keptRedisDefault;
        if (kept == null) {
            lines.add("user default off resetpass -@all");
        } else {
            StringBuilder line = new StringBuilder("user default reset on");
            kept.forEach(hash -> line.append(" #").append(hash));
            lines.add(line.append(kept.isEmpty() ? " nopass" : "").append(" ~* &* +@all").toString());
        }
        for (User user : topology.auth().users().values()) {
            if (Users.on(user.name(), sentinel)) {
                lines.add("user " + user.name() + " reset on #" + UserPasswords.hash(secrets.password(user.name())) + " "
                        + rules(user, sentinel));
            }
        }
        return lines;
    }

    /** The rules a user is created with: the topology's, and what the server needs beyond the defaults. */
    String rules(User user, boolean sentinel) {
        return Users.rules(user, sentinel) + serverNeeds(user);
    }

    /** What the default rules of a component user lack on the topology's server (Valkey 9's Sentinel sends FAILOVER). */
    private String serverNeeds(User user) {
        if (user.rules() != null || !(user.name().equals(Users.SENTINEL) || user.name().equals(Users.REPLICATION))) {
            return "";
        }
        ServerImage s = server.get();
        StringBuilder extra = new StringBuilder();
        for (String command : AclRules.needs(user.name(), s.flavour(), s.major())) {
            if (!AclRules.allows(user.effectiveRules(), command)) {
                extra.append(" +").append(command);
            }
        }
        return extra.toString();
    }

    List<String> sentinelDirectives() {
        List<String> lines = new ArrayList<>();
        if (topology.auth().hasUsers()) {
            String master = topology.sentinels().masterName();
            lines.addAll(userLines(true));
            lines.add("sentinel sentinel-user " + Users.SENTINEL_PEER);
            lines.add("sentinel sentinel-pass " + Template.quote(secrets.password(Users.SENTINEL_PEER)));
            lines.add("sentinel auth-user " + master + " " + Users.SENTINEL);
            lines.add("sentinel auth-pass " + master + " " + Template.quote(secrets.password(Users.SENTINEL)));
            lines.addAll(tls.directives(Service.SENTINEL.port()));
            return lines;
        }
        if (secrets.redisPassword() != null) {
            lines.add("sentinel auth-pass " + topology.sentinels().masterName() + " " + Template.quote(secrets.redisPassword()));
        }
        if (secrets.sentinelPassword() != null) {
            lines.add("requirepass " + Template.quote(secrets.sentinelPassword()));
            // Sentinels authenticate to each other with it too
            lines.add("sentinel sentinel-pass " + Template.quote(secrets.sentinelPassword()));
        }
        lines.addAll(tls.directives(Service.SENTINEL.port()));
        return lines;
    }

    NodeSpec sentinel(int index, String masterHost) {
        return sentinel(index, masterHost, null, Known.NOTHING);
    }

    /**
     * What a Sentinel is told before it starts, so that it need not discover it: the replicas (from the
     * master's INFO, every 10 s) and the other Sentinels with their ids (from hello messages, every 2 s).
     *
     * @param replicas  the replicas' addresses on the network
     * @param sentinels the other Sentinels' addresses on the network, by index
     */
    record Known(List<String> replicas, Map<Integer, String> sentinels) {
        static final Known NOTHING = new Known(List.of(), Map.of());

        Known {
            replicas = List.copyOf(replicas);
            sentinels = Map.copyOf(sentinels);
        }
    }

    /**
     * @param masterHost the master's address (else its alias or container name)
     * @param address    the Sentinel's fixed address on the network, or null for none
     */
    NodeSpec sentinel(int index, String masterHost, String address, Known known) {
        Sentinels s = topology.sentinels();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("master_name", s.masterName());
        values.put("master_host", masterHost);
        values.put("master_port", Service.MASTER.port());
        values.put("quorum", s.quorum());
        values.put("down_after_milliseconds", s.downAfterMillis());
        values.put("failover_timeout", s.failoverTimeoutMillis());
        values.put("parallel_syncs", s.parallelSyncs());
        values.put("directives", sentinelDirectives());
        values.put("known", knownDirectives(index, known));
        String config = sentinelTemplate().render(values);
        return spec(Service.SENTINEL, index, Naming.sentinelImage(topology.project()),
                List.of(server.get().binary(), Naming.SENTINEL_CONFIG_PATH, "--sentinel"), s.hostPort(index),
                Naming.SENTINEL_CONFIG_PATH, config, null, null, address);
    }

    List<String> knownDirectives(int index, Known known) {
        String master = topology.sentinels().masterName();
        List<String> lines = new ArrayList<>();
        lines.add("sentinel myid " + sentinelId(topology.project(), index));
        for (String replica : known.replicas()) {
            lines.add("sentinel known-replica " + master + " " + replica + " " + Service.REPLICA.port());
        }
        new TreeMap<>(known.sentinels()).forEach((other, address) -> {
            if (other != index) {
                lines.add("sentinel known-sentinel " + master + " " + address + " " + Service.SENTINEL.port() + " "
                        + sentinelId(topology.project(), other));
            }
        });
        return lines;
    }

    /**
     * The id of the project's Sentinel in a slot (Sentinel's {@code myid}, 40 hex digits): fixed, so
     * that the other Sentinels can be told it before it starts, and a Sentinel recreated in the slot,
     * at the same address, is the one they already know rather than a second entry.
     */
    static String sentinelId(String project, int index) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest(("redisha sentinel " + project + " " + index).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-1", e);
        }
    }

    private NodeSpec spec(Service service, int index, String image, List<String> cmd, Integer hostPort,
                          String configPath, String config, String volume, Long memoryBytes, String address) {
        String name = Naming.container(topology.project(), service, index);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(configPath, config.getBytes(StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>(List.of(name));
        names.addAll(Naming.aliases(service));
        files.putAll(tls.nodeFiles(name, names, address == null ? List.of() : List.of(address)));
        return new NodeSpec(name, service, index, image, cmd, topology.bind(), hostPort, files, volume,
                memoryBytes, address, settings.recorded(service, index)).withExporter(exporters.exporter(service, index, name));
    }
}
