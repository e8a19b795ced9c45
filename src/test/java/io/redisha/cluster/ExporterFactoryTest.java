package io.redisha.cluster;

import io.redisha.backend.Endpoint;
import io.redisha.backend.ExporterSpec;
import io.redisha.backend.Exporters;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExporterFactoryTest {
    private static final Secrets SECRETS = new Secrets("redis \"pw\"", "sentinel pw");

    private static Topology topology(String yaml) throws Exception {
        return TopologyLoader.parse(yaml, "t.yml").topology();
    }

    @Test
    void noExporterWithoutMetrics() throws Exception {
        assertNull(new ExporterFactory(topology("replicas: 1\n"), SECRETS, ClusterTls.none()).exporter(Service.MASTER, 1, "p-master-1"));
    }

    @Test
    void theExporterScrapesItsNodeByNameAndReadsThePasswordFromAFileOnly() throws Exception {
        ExporterFactory factory = new ExporterFactory(topology("project: p\nmetrics: {enabled: true}\n"), SECRETS, ClusterTls.none());
        ExporterSpec redis = factory.exporter(Service.REPLICA, 2, "p-replica-2");
        assertEquals("oliver006/redis_exporter:v1.45.0", redis.image());
        assertEquals(9121, redis.port());
        assertEquals(List.of("--redis.addr=redis://p-replica-2:6379", "--config-command=-",
                "--redis.password-file=/etc/redis_exporter/password.json"), redis.cmd());
        assertEquals("{\"redis://p-replica-2:6379\":\"redis \\\"pw\\\"\"}",
                new String(redis.files().get("/etc/redis_exporter/password.json"), StandardCharsets.UTF_8));
        ExporterSpec sentinel = factory.exporter(Service.SENTINEL, 1, "p-sentinel-1");
        assertEquals("--redis.addr=redis://p-sentinel-1:26379", sentinel.cmd().get(0));
        assertEquals("{\"redis://p-sentinel-1:26379\":\"sentinel pw\"}",
                new String(sentinel.files().get("/etc/redis_exporter/password.json"), StandardCharsets.UTF_8));
        for (ExporterSpec e : List.of(redis, sentinel)) {
            assertFalse(String.join(" ", e.cmd()).contains("pw"), e.cmd().toString());
        }
    }

    @Test
    void withUsersTheExporterLogsInAsTheMetricsUserOnEveryNode() throws Exception {
        Topology t = topology("project: p\nauth:\n  users:\n    redisha: {password-env: A}\n    replication: {password-env: B}\n"
                + "    sentinel: {password-env: C}\n    sentinel-peer: {password-env: D}\n    discovery: {password-env: E}\n"
                + "    metrics: {password-env: F}\nmetrics: {enabled: true}\n");
        Secrets secrets = new Secrets(null, null, Map.of("metrics", "m pw", "redisha", "r pw"));
        ExporterFactory factory = new ExporterFactory(t, secrets, ClusterTls.none());
        for (Service service : List.of(Service.MASTER, Service.SENTINEL)) {
            ExporterSpec e = factory.exporter(service, 1, "p-node-1");
            assertTrue(e.cmd().contains("--redis.user=metrics"), e.cmd().toString());
            assertTrue(new String(e.files().get("/etc/redis_exporter/password.json"), StandardCharsets.UTF_8).endsWith(":\"m pw\"}"));
        }
    }

    @Test
    void withoutPasswordsTheExporterHasNoPasswordFile() throws Exception {
        ExporterSpec e = new ExporterFactory(topology("metrics: {enabled: true}\n"), Secrets.none(), ClusterTls.none())
                .exporter(Service.MASTER, 1, "p-master-1");
        assertTrue(e.files().isEmpty());
        assertEquals(List.of("--redis.addr=redis://p-master-1:6379", "--config-command=-"), e.cmd());
    }

    @Test
    void theTargetsAreTheRunningExportersInTheNodesOrder() {
        List<Node> nodes = List.of(
                new Node("m", "p-master-1", Service.MASTER, 1, NodeState.RUNNING, null, null, "redis:7", null),
                new Node("r", "p-replica-1", Service.REPLICA, 1, NodeState.RUNNING, null, null, "redis:7", null),
                new Node("s", "p-sentinel-1", Service.SENTINEL, 1, NodeState.RUNNING, null, null, "redis:7", null));
        List<Exporters.Exporter> exporters = List.of(
                new Exporters.Exporter("e3", "p-sentinel-1", NodeState.RUNNING, new Endpoint("127.0.0.1", 32003)),
                new Exporters.Exporter("e2", "p-replica-1", NodeState.EXITED, null),
                new Exporters.Exporter("e1", "p-master-1", NodeState.RUNNING, new Endpoint("127.0.0.1", 32001)),
                new Exporters.Exporter("e9", "p-replica-9", NodeState.RUNNING, new Endpoint("127.0.0.1", 32009)));
        MetricsTargets targets = MetricsTargets.of("p", exporters, nodes);
        assertEquals(List.of(new MetricsTargets.Target("127.0.0.1:32001", "p-master-1", "master", "redis"),
                new MetricsTargets.Target("127.0.0.1:32003", "p-sentinel-1", "sentinel", "sentinel")), targets.targets());
    }

    @Test
    void exporterHostPortsAreEphemeralOnOneEngineUnlessFixedAndFollowTheNodesSlot() throws Exception {
        ExporterFactory ephemeral = new ExporterFactory(topology("metrics: {enabled: true}\n"), SECRETS, ClusterTls.none());
        assertNull(ephemeral.exporter(Service.REPLICA, 2, "p-replica-2").hostPort());
        ExporterFactory fixed = new ExporterFactory(topology("metrics: {enabled: true, port: 9200}\n"), SECRETS, ClusterTls.none());
        assertEquals(9200, fixed.exporter(Service.MASTER, 1, "p-master-1").hostPort());
        assertEquals(9202, fixed.exporter(Service.REPLICA, 2, "p-replica-2").hostPort());
        assertEquals(9250, fixed.exporter(Service.SENTINEL, 1, "p-sentinel-1").hostPort());
        assertEquals(9252, fixed.exporter(Service.SENTINEL, 3, "p-sentinel-3").hostPort());
        ExporterFactory swarm = new ExporterFactory(topology("platform: swarm\nreplicas: 2\nsentinels: 3\nmetrics: {enabled: true}\n"),
                SECRETS, ClusterTls.none());
        assertEquals(9121, swarm.exporter(Service.MASTER, 1, "p-master-1").hostPort());
        assertEquals(9172, swarm.exporter(Service.SENTINEL, 2, "p-sentinel-2").hostPort());
    }
}
