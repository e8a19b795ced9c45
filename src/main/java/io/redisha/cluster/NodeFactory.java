package io.redisha.cluster;

import io.redisha.docker.ContainerSpec;
import io.redisha.docker.Labels;
import io.redisha.docker.Service;
import io.redisha.sentinel.SentinelContext;
import io.redisha.sentinel.Template;
import io.redisha.topology.Sentinels;
import io.redisha.topology.Topology;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the container spec of each node: labels, name, published port and rendered configuration file. */
final class NodeFactory {
    private final Topology topology;
    private final String network;
    private final Template sentinelTemplate;
    private final Template redisTemplate;

    NodeFactory(Topology topology, String network, SentinelContext context) {
        this.topology = topology;
        this.network = network;
        this.sentinelTemplate = context.sentinelTemplate();
        this.redisTemplate = SentinelContext.redisTemplate();
    }

    /**
     * @param masterHost the host a new node should follow: the master alias for a fresh deployment,
     *                   the current master's container name after a failover; null for the master itself
     */
    ContainerSpec redis(Service service, int index, String masterHost) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("min_replicas_to_write", topology.master().minReplicasToWrite());
        values.put("min_replicas_max_lag", topology.master().minReplicasMaxLag());
        values.put("replicaof", masterHost == null ? "" : "replicaof " + masterHost + " " + Service.MASTER.port());
        String config = redisTemplate.render(values);
        Integer hostPort = service == Service.MASTER ? topology.master().hostPort() : topology.replicas().hostPort(index);
        List<String> aliases = service == Service.MASTER ? List.of(Naming.MASTER_ALIAS) : List.of();
        return spec(service, index, topology.image(), List.of("redis-server", Naming.REDIS_CONFIG_PATH), aliases,
                hostPort, Naming.REDIS_CONFIG_PATH, config);
    }

    ContainerSpec sentinel(int index, String masterHost) {
        Sentinels s = topology.sentinels();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("master_name", s.masterName());
        values.put("master_host", masterHost);
        values.put("master_port", Service.MASTER.port());
        values.put("quorum", s.quorum());
        values.put("down_after_milliseconds", s.downAfterMillis());
        values.put("failover_timeout", s.failoverTimeoutMillis());
        values.put("parallel_syncs", s.parallelSyncs());
        String config = sentinelTemplate.render(values);
        return spec(Service.SENTINEL, index, Naming.sentinelImage(topology.project()),
                List.of("redis-server", Naming.SENTINEL_CONFIG_PATH, "--sentinel"), List.of(), s.hostPort(index),
                Naming.SENTINEL_CONFIG_PATH, config);
    }

    private ContainerSpec spec(Service service, int index, String image, List<String> cmd, List<String> aliases,
                               Integer hostPort, String configPath, String config) {
        return new ContainerSpec(Naming.container(topology.project(), service, index), image,
                Labels.node(topology.project(), service, index), cmd, network, aliases, service.port(),
                topology.bind(), hostPort, Map.of(configPath, config.getBytes(StandardCharsets.UTF_8)), null, null);
    }
}
