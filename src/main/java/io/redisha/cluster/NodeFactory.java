package io.redisha.cluster;

import io.redisha.backend.Naming;
import io.redisha.backend.NodeSpec;
import io.redisha.backend.Service;
import io.redisha.sentinel.SentinelContext;
import io.redisha.sentinel.Template;
import io.redisha.topology.Persistence;
import io.redisha.topology.Resources;
import io.redisha.topology.Secrets;
import io.redisha.topology.Sentinels;
import io.redisha.topology.Topology;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the container spec of each node: labels, name, published port, volume, memory limit and
 * the rendered configuration file, which is the only place a password goes.
 */
final class NodeFactory {
    private final Topology topology;
    private final Secrets secrets;
    private final Supplier<ServerImage> server;
    private final Template sentinelTemplate;
    private final Template redisTemplate;
    private final NodeSettings settings;

    /** @param server the server of the topology's image, found when the first node is made */
    NodeFactory(Topology topology, Secrets secrets, SentinelContext context, Supplier<ServerImage> server) {
        this.topology = topology;
        this.secrets = secrets;
        this.server = server;
        this.sentinelTemplate = context.sentinelTemplate();
        this.redisTemplate = SentinelContext.redisTemplate();
        this.settings = new NodeSettings(topology, secrets);
    }

    /**
     * @param masterHost the host a new node should follow: the master alias for a fresh deployment,
     *                   the current master's container name after a failover; null for the master itself
     */
    NodeSpec redis(Service service, int index, String masterHost) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("min_replicas_to_write", topology.master().minReplicasToWrite());
        values.put("min_replicas_max_lag", topology.master().minReplicasMaxLag());
        values.put("replicaof", masterHost == null ? "" : "replicaof " + masterHost + " " + Service.MASTER.port());
        values.put("directives", redisDirectives(service, index));
        String config = redisTemplate.render(values);
        Integer hostPort = service == Service.MASTER ? topology.master().hostPort() : topology.replicas().hostPort(index);
        String name = Naming.container(topology.project(), service, index);
        String volume = topology.persistence() == Persistence.OFF ? null : Naming.dataVolume(name);
        return spec(service, index, topology.image(), List.of(server.get().binary(), Naming.REDIS_CONFIG_PATH), hostPort, Naming.REDIS_CONFIG_PATH, config, volume, topology.resources().memoryBytes());
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
        if (secrets.redisPassword() != null) {
            lines.add("requirepass " + Template.quote(secrets.redisPassword()));
            lines.add("masterauth " + Template.quote(secrets.redisPassword()));
        }
        return lines;
    }

    List<String> sentinelDirectives() {
        List<String> lines = new ArrayList<>();
        if (secrets.redisPassword() != null) {
            lines.add("sentinel auth-pass " + topology.sentinels().masterName() + " " + Template.quote(secrets.redisPassword()));
        }
        if (secrets.sentinelPassword() != null) {
            lines.add("requirepass " + Template.quote(secrets.sentinelPassword()));
            // Sentinels authenticate to each other with it too
            lines.add("sentinel sentinel-pass " + Template.quote(secrets.sentinelPassword()));
        }
        return lines;
    }

    NodeSpec sentinel(int index, String masterHost) {
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
        String config = sentinelTemplate.render(values);
        return spec(Service.SENTINEL, index, Naming.sentinelImage(topology.project()),
                List.of(server.get().binary(), Naming.SENTINEL_CONFIG_PATH, "--sentinel"), s.hostPort(index),
                Naming.SENTINEL_CONFIG_PATH, config, null, null);
    }

    private NodeSpec spec(Service service, int index, String image, List<String> cmd, Integer hostPort,
                          String configPath, String config, String volume, Long memoryBytes) {
        return new NodeSpec(Naming.container(topology.project(), service, index), service, index, image, cmd,
                topology.bind(), hostPort, Map.of(configPath, config.getBytes(StandardCharsets.UTF_8)), volume,
                memoryBytes, settings.recorded(service, index));
    }
}
