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
                "metrics:\n  enabled: yes please\n  image: ''\n  port: 9121\n", "t.yml"));
        assertEquals(List.of("metrics.enabled", "metrics.image", "metrics.port"),
                e.problems().stream().map(Problem::path).toList(), e::getMessage);
        assertEquals(List.of(2, 3, 4), e.problems().stream().map(Problem::line).toList());
    }

    @Test
    void metricsAreRefusedOnSwarmWithOneLine() {
        TopologyException swarm = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "platform: swarm\nmetrics:\n  enabled: true\n", "t.yml"));
        assertEquals(List.of(new Problem("metrics.enabled", 3,
                        "not with platform: swarm yet: run the exporters yourself there (docs/metrics.md)")),
                swarm.problems());
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
