package io.redisha.cluster;

import io.redisha.backend.BackendException;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.sentinel.SentinelContext;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsClusterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final List<String> progress = new ArrayList<>();

    private static Topology topology(String yaml) throws Exception {
        return TopologyLoader.parse("project: p\n" + yaml, "test").topology();
    }

    private Cluster cluster(FakeBackend fake, Topology topology) {
        return new Cluster(fake, topology, SentinelContext.locate(null), progress::add, Secrets.none(), fake);
    }

    @Test
    void withMetricsEveryNodeIsCreatedWithItsExporter() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        try (Cluster cluster = cluster(fake, topology("metrics: {enabled: true}\n"))) {
            assertTrue(cluster.up(TIMEOUT).ready());
        }
        assertEquals(Set.of("p-master-1", "p-replica-1", "p-replica-2", "p-sentinel-1", "p-sentinel-2", "p-sentinel-3"),
                fake.exporters.keySet());
        assertEquals("--redis.addr=redis://p-sentinel-2:26379", fake.exporters.get("p-sentinel-2").cmd().get(0));
    }

    @Test
    void withoutMetricsNoNodeHasAnExporter() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        try (Cluster cluster = cluster(fake, topology(""))) {
            assertTrue(cluster.up(TIMEOUT).ready());
        }
        assertEquals(Set.of(), fake.exporters.keySet());
    }

    @Test
    void aMissingExporterImageIsRefusedBeforeAnythingIsMade() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        try (Cluster cluster = cluster(fake, topology("metrics: {enabled: true, image: missing/exporter:1}\n"))) {
            BackendException e = assertThrows(BackendException.class, () -> cluster.up(TIMEOUT));
            assertTrue(e.getMessage().startsWith("image missing/exporter:1 (metrics.image) is not on the engine"), e.getMessage());
        }
        assertEquals(List.of(), fake.calls().stream().filter(c -> c.startsWith("create")).toList());
    }

    @Test
    void turningMetricsOnOrOffOrChangingTheirImageReplacesTheNodes() throws Exception {
        Topology off = topology("");
        Topology on = topology("metrics: {enabled: true}\n");
        Topology other = topology("metrics: {enabled: true, image: 'exporter:2'}\n");
        for (Service service : List.of(Service.MASTER, Service.SENTINEL)) {
            Node madeOff = node(service, new NodeSettings(off, Secrets.none()).recorded(service, 1));
            Node madeOn = node(service, new NodeSettings(on, Secrets.none()).recorded(service, 1));
            assertEquals(List.of("metrics"), new NodeSettings(on, Secrets.none()).differences(madeOff));
            assertEquals(List.of("metrics"), new NodeSettings(off, Secrets.none()).differences(madeOn));
            assertEquals(List.of("metrics"), new NodeSettings(other, Secrets.none()).differences(madeOn));
            assertEquals(List.of(), new NodeSettings(on, Secrets.none()).differences(madeOn));
        }
    }

    private static Node node(Service service, String settings) {
        return new Node("id", "p-" + service.label() + "-1", service, 1, NodeState.RUNNING, "10.9.0.2", null, "redis:7", null,
                settings);
    }
}
