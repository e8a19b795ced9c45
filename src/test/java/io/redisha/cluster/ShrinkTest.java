package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.sentinel.SentinelContext;
import io.redisha.topology.Secrets;
import io.redisha.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code scale} removes, and in which order; what it creates when it grows. */
class ShrinkTest {

    private static FakeBackend deployment(int replicas, int sentinels) {
        FakeBackend fake = new FakeBackend("p");
        fake.add(Service.MASTER, 1, NodeState.RUNNING);
        for (int i = 1; i <= replicas; i++) {
            fake.add(Service.REPLICA, i, NodeState.RUNNING);
        }
        for (int i = 1; i <= sentinels; i++) {
            fake.add(Service.SENTINEL, i, NodeState.RUNNING);
        }
        return fake;
    }

    private static List<String> names(List<Node> nodes) {
        return nodes.stream().map(Node::name).toList();
    }

    @Test
    void removesTheHighestNumberedReplicasThenTheHighestNumberedSentinels() {
        FakeBackend fake = deployment(3, 5);
        Deployment d = new Deployment("p", "p-net", fake.nodes());
        Node master = d.find(Service.MASTER, 1).orElseThrow();
        assertEquals(List.of("p-replica-3", "p-replica-2", "p-sentinel-5", "p-sentinel-4"),
                names(Shrink.victims(d, master, new Expected(1, 3))));
    }

    @Test
    void neverRemovesThePromotedMasterAndTakesMasterOneOnlyWhenNothingElseIsLeft() {
        FakeBackend fake = deployment(2, 3);
        Deployment d = new Deployment("p", "p-net", fake.nodes());
        Node promoted = d.find(Service.REPLICA, 2).orElseThrow();
        assertEquals(List.of("p-replica-1"), names(Shrink.victims(d, promoted, new Expected(1, 3))));
        assertEquals(List.of("p-replica-1", "p-master-1"), names(Shrink.victims(d, promoted, new Expected(0, 3))));
    }

    @Test
    void nothingIsRemovedWhenTheCountsAreMet() {
        FakeBackend fake = deployment(2, 3);
        Deployment d = new Deployment("p", "p-net", fake.nodes());
        assertEquals(List.of(), Shrink.victims(d, d.find(Service.MASTER, 1).orElseThrow(), new Expected(2, 3)));
    }

    @Test
    void growingCreatesTheMissingSlotsFollowingTheCurrentMasterAndRemovesNothing() throws Exception {
        FakeBackend fake = deployment(2, 3);
        fake.master = "p-replica-2";
        var topology = TopologyLoader.parse("project: p\nreplicas: 3\nsentinels: 5\n", "test").topology();
        try (Cluster cluster = new Cluster(fake, topology, SentinelContext.locate(null), m -> { }, Secrets.none(), fake)) {
            ClusterStatus status = new Scaler(cluster).scale(Duration.ofSeconds(20));
            assertTrue(status.ready(), status.notReady()::toString);
        }
        List<String> calls = fake.calls();
        assertEquals(List.of("create p-replica-3"), calls.subList(0, 1));
        assertEquals(List.of("create p-sentinel-4", "create p-sentinel-5"), calls.subList(1, 3).stream().sorted().toList());
        assertEquals(3, calls.size(), calls::toString);
        assertTrue(new String(fake.files("p-sentinel-4").get("/data/sentinel.conf"))
                .contains("sentinel monitor mymaster " + fake.nodes().get(2).networkIp() + " 6379 2"));
    }
}
