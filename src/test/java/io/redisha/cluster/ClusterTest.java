package io.redisha.cluster;

import io.redisha.backend.BackendException;
import io.redisha.backend.Naming;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.sentinel.SentinelContext;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code up} decides to create, start, hold back, repair and leave alone, over a backend in memory. */
class ClusterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<String> progress = java.util.Collections.synchronizedList(new ArrayList<>());

    private static Topology topology(String yaml) throws Exception {
        return TopologyLoader.parse("project: p\n" + yaml, "test").topology();
    }

    private Cluster cluster(FakeBackend fake, Topology topology) {
        return new Cluster(fake, topology, SentinelContext.locate(null), progress::add, Secrets.none(), fake);
    }

    private static FakeBackend deployed(NodeState master, NodeState replica1, NodeState replica2) {
        FakeBackend fake = new FakeBackend("p");
        fake.add(Service.MASTER, 1, master);
        fake.add(Service.REPLICA, 1, replica1);
        fake.add(Service.REPLICA, 2, replica2);
        for (int i = 1; i <= 3; i++) {
            fake.add(Service.SENTINEL, i, NodeState.RUNNING);
        }
        return fake;
    }

    private static List<String> changes(FakeBackend fake) {
        return fake.calls().stream().filter(c -> !c.startsWith("buildImage")).toList();
    }

    private static String file(FakeBackend fake, String node, String path) {
        return new String(fake.files(node).get(path), StandardCharsets.UTF_8);
    }

    @Test
    void aFreshDeploymentStartsEveryNodeAtOnceTheSentinelsAfterTheMasterToldWhatRedishaKnows() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        try (Cluster cluster = cluster(fake, topology(""))) {
            ClusterStatus status = cluster.up(TIMEOUT);
            assertTrue(status.ready(), status.notReady()::toString);
            assertEquals("p-master-1", status.master());
        }
        List<String> calls = changes(fake);
        assertEquals("createNetwork", calls.get(0));
        assertEquals(List.of("create p-master-1 (fresh)", "create p-replica-1 (fresh)", "create p-replica-2 (fresh)",
                "create p-sentinel-1 (fresh)", "create p-sentinel-2 (fresh)", "create p-sentinel-3 (fresh)"),
                calls.subList(1, 7).stream().sorted().toList(), "every node of a new deployment is created as such");
        int master = calls.indexOf("create p-master-1 (fresh)");
        for (int i = 1; i <= 3; i++) {
            assertTrue(calls.indexOf("create p-sentinel-" + i + " (fresh)") > master, "Sentinels after the master: " + calls);
        }
        assertEquals(7, calls.size(), calls::toString);
        assertTrue(fake.calls().contains("buildImage " + Naming.sentinelImage("p")), fake.calls()::toString);

        // the master's fixed address, known before it starts, never a name that stops resolving with its container
        assertTrue(file(fake, "p-replica-1", Naming.REDIS_CONFIG_PATH).contains("replicaof 10.9.1.2 6379"));
        String sentinel1 = file(fake, "p-sentinel-1", Naming.SENTINEL_CONFIG_PATH);
        assertTrue(sentinel1.contains("sentinel monitor mymaster 10.9.1.2 6379 2"), sentinel1);
        assertTrue(sentinel1.contains("sentinel myid " + NodeFactory.sentinelId("p", 1)), sentinel1);
        assertTrue(sentinel1.contains("sentinel known-replica mymaster 10.9.1.3 6379\n"
                + "sentinel known-replica mymaster 10.9.1.4 6379\n"), sentinel1);
        assertTrue(sentinel1.contains("sentinel known-sentinel mymaster 10.9.1.67 26379 " + NodeFactory.sentinelId("p", 2)
                + "\nsentinel known-sentinel mymaster 10.9.1.68 26379 " + NodeFactory.sentinelId("p", 3)), sentinel1);
        assertFalse(sentinel1.contains("10.9.1.66 26379"), "a Sentinel is not told about itself: " + sentinel1);
    }

    @Test
    void withoutFixedAddressesTheMasterComesFirstAndTheSentinelsOnceTheReplicasAreLinked() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        fake.fixedAddresses = false;
        try (Cluster cluster = cluster(fake, topology(""))) {
            assertTrue(cluster.up(TIMEOUT).ready());
        }
        List<String> calls = changes(fake);
        // a new deployment: no node's first start asks the Sentinels
        assertEquals(List.of("createNetwork", "create p-master-1 (fresh)"), calls.subList(0, 2));
        assertEquals(List.of("create p-replica-1 (fresh)", "create p-replica-2 (fresh)"),
                calls.subList(2, 4).stream().sorted().toList());
        assertEquals(List.of("create p-sentinel-1 (fresh)", "create p-sentinel-2 (fresh)", "create p-sentinel-3 (fresh)"),
                calls.subList(4, 7).stream().sorted().toList());
        assertTrue(file(fake, "p-replica-1", Naming.REDIS_CONFIG_PATH).contains("replicaof " + Naming.MASTER_ALIAS + " 6379"));
        String sentinel1 = file(fake, "p-sentinel-1", Naming.SENTINEL_CONFIG_PATH);
        assertFalse(sentinel1.contains("known-"), sentinel1);
    }

    @Test
    void sentinelIdsAreFortyHexDigitsFixedPerProjectAndSlot() {
        String id = NodeFactory.sentinelId("p", 1);
        assertTrue(id.matches("[0-9a-f]{40}"), id);
        assertEquals(id, NodeFactory.sentinelId("p", 1));
        assertNotEquals(id, NodeFactory.sentinelId("p", 2));
        assertNotEquals(id, NodeFactory.sentinelId("q", 1));
    }

    @Test
    void aReadyDeploymentIsLeftAlone() throws Exception {
        FakeBackend fake = deployed(NodeState.RUNNING, NodeState.RUNNING, NodeState.RUNNING);
        try (Cluster cluster = cluster(fake, topology(""))) {
            assertTrue(cluster.up(TIMEOUT).ready());
        }
        assertEquals(List.of(), changes(fake));
    }

    @Test
    void pausedStoppedHalfCreatedAndDetachedNodesAreRepaired() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        fake.add(Service.MASTER, 1, NodeState.RUNNING);
        fake.add(Service.REPLICA, 1, NodeState.PAUSED);
        fake.add(Service.REPLICA, 2, NodeState.EXITED);
        fake.add(Service.SENTINEL, 1, NodeState.RUNNING);
        fake.add(Service.SENTINEL, 2, NodeState.CREATED);
        fake.detach(fake.add(Service.SENTINEL, 3, NodeState.RUNNING));
        try (Cluster cluster = cluster(fake, topology(""))) {
            assertTrue(cluster.up(TIMEOUT).ready());
        }
        List<String> changes = changes(fake);
        assertEquals(List.of("reattach p-sentinel-3", "remove p-sentinel-2", "resume p-replica-1", "start p-replica-2"),
                changes.subList(0, 4).stream().sorted().toList());
        // the half-created Sentinel comes back as a new one, after the repairs
        assertEquals(List.of("create p-sentinel-2"), changes.subList(4, changes.size()));
    }

    @Test
    void aStoppedMasterWithoutAofStaysDownUntilSentinelPromotesThenFollowsTheNewMaster() throws Exception {
        FakeBackend fake = deployed(NodeState.EXITED, NodeState.RUNNING, NodeState.RUNNING);
        fake.promote = "p-replica-1";
        fake.promoteAfterAsks = 6;
        try (Cluster cluster = cluster(fake, topology("persistence: off\n"))) {
            ClusterStatus status = cluster.up(TIMEOUT);
            assertTrue(status.ready(), status.notReady()::toString);
            assertEquals("p-replica-1", status.master());
        }
        assertEquals(List.of("startWith p-master-1"), changes(fake));
        String conf = new String(fake.files("p-master-1").get(Naming.REDIS_CONFIG_PATH), StandardCharsets.UTF_8);
        assertTrue(conf.contains("replicaof " + fake.nodes().get(1).networkIp() + " 6379"), conf);
        assertTrue(progress.stream().anyMatch(p -> p.startsWith("not starting p-master-1 yet")), progress::toString);
    }

    @Test
    void aStoppedMasterIsHeldWithRdbToo() throws Exception {
        FakeBackend fake = deployed(NodeState.EXITED, NodeState.RUNNING, NodeState.RUNNING);
        fake.promote = "p-replica-2";
        fake.promoteAfterAsks = 6;
        try (Cluster cluster = cluster(fake, topology("persistence: rdb\n"))) {
            assertEquals("p-replica-2", cluster.up(TIMEOUT).master());
        }
        assertEquals(List.of("startWith p-master-1"), changes(fake));
    }

    @Test
    void aStoppedMasterWithAofStartsAtOnce() throws Exception {
        FakeBackend fake = deployed(NodeState.EXITED, NodeState.RUNNING, NodeState.RUNNING);
        try (Cluster cluster = cluster(fake, topology("persistence: aof\n"))) {
            assertEquals("p-master-1", cluster.up(TIMEOUT).master());
        }
        assertEquals(List.of("start p-master-1"), changes(fake));
    }

    @Test
    void aStoppedReplicaStartsAtOnceWhileTheMasterRuns() throws Exception {
        FakeBackend fake = deployed(NodeState.RUNNING, NodeState.EXITED, NodeState.RUNNING);
        try (Cluster cluster = cluster(fake, topology("persistence: off\n"))) {
            assertTrue(cluster.up(TIMEOUT).ready());
        }
        assertEquals(List.of("start p-replica-1"), changes(fake));
    }

    @Test
    void noPromotionInTimeLeavesTheHeldMasterStoppedAndSaysWhy() throws Exception {
        FakeBackend fake = deployed(NodeState.EXITED, NodeState.RUNNING, NodeState.RUNNING);
        try (Cluster cluster = cluster(fake, topology(""))) {
            NotReadyException e = assertThrows(NotReadyException.class, () -> cluster.up(Duration.ofSeconds(1)));
            assertTrue(e.getMessage().startsWith("did not start p-master-1: the master is among them and with"
                    + " persistence: off"), e.getMessage());
        }
        assertEquals(List.of(), changes(fake));
    }

    @Test
    void missingNodesAfterAFailoverFollowTheCurrentMaster() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        fake.add(Service.MASTER, 1, NodeState.RUNNING);
        fake.add(Service.REPLICA, 1, NodeState.RUNNING);
        for (int i = 1; i <= 3; i++) {
            fake.add(Service.SENTINEL, i, NodeState.RUNNING);
        }
        fake.master = "p-replica-1";
        try (Cluster cluster = cluster(fake, topology(""))) {
            assertEquals("p-replica-1", cluster.up(TIMEOUT).master());
        }
        assertEquals(List.of("create p-replica-2"), changes(fake));
        String conf = new String(fake.files("p-replica-2").get(Naming.REDIS_CONFIG_PATH), StandardCharsets.UTF_8);
        assertTrue(conf.contains("replicaof " + fake.nodes().get(1).networkIp() + " 6379"), conf);
    }

    @Test
    void aTakenFixedPortIsRefusedBeforeAnythingIsCreated() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        try (Cluster cluster = cluster(fake, topology("replicas:\n  host-ports: [7001, 6666]\n"))) {
            PreflightException e = assertThrows(PreflightException.class, () -> cluster.up(TIMEOUT));
            assertEquals("replicas.host-ports[1]: port 6666 on 127.0.0.1 is already in use (nothing was created)",
                    e.getMessage());
        }
        assertEquals(List.of(), fake.calls());
    }

    @Test
    void aTakenFixedExporterPortIsRefusedBeforeAnythingIsCreated() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        // replica 2's exporter: metrics.port + 2
        try (Cluster cluster = cluster(fake, topology("replicas: 2\nmetrics: {enabled: true, port: 6664}\n"))) {
            PreflightException e = assertThrows(PreflightException.class, () -> cluster.up(TIMEOUT));
            assertEquals("metrics.port: port 6666 of the exporter of replica 2 on 127.0.0.1 is already in use"
                    + " (nothing was created)", e.getMessage());
        }
        assertEquals(List.of(), fake.calls());
    }

    @Test
    void aBackendWithoutImageBuildsOrLocalPortsIsNotAskedForThemAndRunsTheSentinelsAsPlanned() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        fake.singleEngineCapabilities = false;
        try (Cluster cluster = cluster(fake, topology("replicas:\n  host-ports: [7001, 6666]\n"))) {
            ClusterStatus status = cluster.up(TIMEOUT);
            assertTrue(status.ready(), status.notReady()::toString);
        }
        assertTrue(fake.calls().stream().noneMatch(c -> c.startsWith("buildImage")), fake.calls()::toString);
        assertTrue(fake.calls().contains("create p-replica-2 (fresh)"), "its engine publishes elsewhere: " + fake.calls());
    }

    @Test
    void withoutInPlaceRepairAPausedOrCutOffNodeIsLeftToTheBackend() throws Exception {
        FakeBackend fake = deployed(NodeState.PAUSED, NodeState.RUNNING, NodeState.RUNNING);
        fake.singleEngineCapabilities = false;
        try (Cluster cluster = cluster(fake, topology(""))) {
            cluster.up(Duration.ofMillis(200));
        } catch (RuntimeException e) {
            // not ready: the paused master stays paused
        }
        assertTrue(fake.calls().stream().noneMatch(c -> c.startsWith("resume") || c.startsWith("reattach")),
                fake.calls()::toString);
    }

    @Test
    void aMissingImageIsRefusedBeforeAnythingIsCreated() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        try (Cluster cluster = cluster(fake, topology("image: missing:1\n"))) {
            BackendException e = assertThrows(BackendException.class, () -> cluster.up(TIMEOUT));
            assertTrue(e.getMessage().startsWith("image missing:1 (topology `image`) is not on the engine at fake://p"),
                    e.getMessage());
        }
        assertEquals(List.of(), fake.calls());
        assertFalse(fake.exists());
    }

    @Test
    void downRemovesEveryNodeAndTheNetworkAndKeepsTheImage() throws Exception {
        FakeBackend fake = deployed(NodeState.RUNNING, NodeState.EXITED, NodeState.PAUSED);
        try (Cluster cluster = cluster(fake, topology(""))) {
            assertEquals(6, cluster.down(false, false).containers());
        }
        assertEquals(List.of("remove p-master-1", "remove p-replica-1", "remove p-replica-2", "remove p-sentinel-1",
                "remove p-sentinel-2", "remove p-sentinel-3"), fake.calls().subList(0, 6).stream().sorted().toList());
        assertEquals(List.of("removeSharedObjects"), fake.calls().subList(6, 7));
        assertFalse(fake.exists());
    }
}
