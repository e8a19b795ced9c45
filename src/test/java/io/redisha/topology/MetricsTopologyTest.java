package io.redisha.topology;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTopologyTest {

    @Test
    void metricsAreOffUnlessEnabledAndRunTheOfficialImageByDefault() throws Exception {
        Metrics none = TopologyLoader.parse("replicas: 1\n", "t.yml").topology().metrics();
        assertFalse(none.enabled());
        assertEquals("oliver006/redis_exporter:v1.45.0", none.image());
        Metrics on = TopologyLoader.parse("metrics:\n  enabled: true\n", "t.yml").topology().metrics();
        assertTrue(on.enabled());
        assertEquals(Metrics.DEFAULT_IMAGE, on.image());
        Metrics own = TopologyLoader.parse("metrics: {enabled: true, image: 'registry.example/redis_exporter:v1.62.0'}\n", "t.yml")
                .topology().metrics();
        assertEquals("registry.example/redis_exporter:v1.62.0", own.image());
    }

    @Test
    void aCopyWithOtherCountsKeepsTheMetrics() throws Exception {
        Topology t = TopologyLoader.parse("metrics: {enabled: true}\n", "t.yml").topology();
        assertTrue(t.withReplicaCount(3).metrics().enabled());
        assertTrue(t.withSentinelCount(5).metrics().enabled());
    }

    @Test
    void badMetricsAreNamedByPathAndLine() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "metrics:\n  enabled: yes please\n  image: ''\n  port: nine\n", "t.yml"));
        assertEquals(List.of("metrics.enabled", "metrics.image", "metrics.port"),
                e.problems().stream().map(Problem::path).toList(), e::getMessage);
        assertEquals(List.of(2, 3, 4), e.problems().stream().map(Problem::line).toList());
    }

    @Test
    void metricsRunOnSwarmWithFixedPortsFromTheDefault() throws Exception {
        Topology t = TopologyLoader.parse("platform: swarm\nreplicas: 2\nmetrics:\n  enabled: true\n", "t.yml").topology();
        assertTrue(t.metrics().enabled());
        assertEquals(null, t.metrics().port());
        assertEquals(9121, t.metrics().hostPort(true, false, 0));
        assertEquals(9123, t.metrics().hostPort(true, false, 2));
        assertEquals(9171, t.metrics().hostPort(true, true, 1));
        assertEquals(null, t.metrics().hostPort(false, true, 1));
    }

    @Test
    void aFixedMetricsPortMustLeaveRoomForEveryExporter() throws Exception {
        TopologyException high = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "sentinels: 3\nmetrics:\n  enabled: true\n  port: 65500\n", "t.yml"));
        assertEquals(List.of(new Problem("metrics.port", 4, "65500 is not a first port for the exporters: they take it up to"
                + " 65500 + 52 (the Sentinels' from + 50), which must be port numbers (1 to 65535)")), high.problems());
        TopologyException many = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "replicas: 50\nmetrics:\n  enabled: true\n  port: 9200\n", "t.yml"));
        assertEquals(List.of("replicas.count"), many.problems().stream().map(Problem::path).toList(), many::getMessage);
        TopologyException swarm = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "platform: swarm\nmetrics:\n  enabled: true\n  port: 26350\n", "t.yml"));
        assertEquals(List.of("metrics.port: 26350 to 26402 would take ports the nodes publish on their hosts with platform:"
                + " swarm (from 6379 and 26379)"), swarm.problems().stream().map(p -> p.path() + ": " + p.message()).toList());
        // ephemeral ports on one engine: no such limit
        TopologyLoader.parse("replicas: 50\nmetrics:\n  enabled: true\n", "t.yml");
    }

    @Test
    void anExporterPortTakenByANodesFixedPortIsRefused() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "replicas:\n  count: 2\n  host-ports: [7001, 9202]\nmetrics:\n  enabled: true\n  port: 9200\n", "t.yml"));
        assertEquals(List.of("replicas.host-ports[1]: port 9202 is also replica 2's exporter (metrics.port)"),
                e.problems().stream().map(p -> p.path() + ": " + p.message()).toList());
    }

    private static final String USERS = """
            auth:
              users:
                redisha: {password-env: A}
                replication: {password-env: B}
                sentinel: {password-env: C}
                sentinel-peer: {password-env: D}
                discovery: {password-env: E}
            """;

    @Test
    void withUsersMetricsNeedTheExportersOwnUserWithItsFixedRules() {
        TopologyException lacking = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                USERS + "metrics: {enabled: true}\n", "t.yml"));
        assertEquals(List.of("auth.users: lacks metrics: with metrics.enabled the exporters log in as metrics, which needs a"
                + " password-file or password-env (docs/metrics.md)"), lacking.problems().stream().map(p -> p.path() + ": " + p.message()).toList());
        TopologyException rules = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                USERS + "    metrics: {password-env: F, rules: '+@all'}\nmetrics: {enabled: true}\n", "t.yml"));
        assertEquals(List.of("auth.users.metrics.rules"), rules.problems().stream().map(Problem::path).toList());
    }

    @Test
    void theExportersUserIsOnBothKindsOfNodeWithTheRulesRedisExporterNeedsThere() throws Exception {
        Topology t = TopologyLoader.parse(USERS + "    metrics: {password-env: F}\nmetrics: {enabled: true}\n", "t.yml").topology();
        User metrics = t.auth().users().get(Users.METRICS);
        assertTrue(Users.isComponent(Users.METRICS));
        assertTrue(Users.on(Users.METRICS, true) && Users.on(Users.METRICS, false));
        assertEquals("-@all +client|setname +info +slowlog|get +slowlog|len +latency|latest", Users.rules(metrics, false));
        assertEquals("-@all +client|setname +info +sentinel|masters +sentinel|ckquorum +sentinel|sentinels +sentinel|slaves",
                Users.rules(metrics, true));
    }
}
