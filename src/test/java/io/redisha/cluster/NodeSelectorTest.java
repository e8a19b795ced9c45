package io.redisha.cluster;

import io.redisha.backend.Endpoint;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeSelectorTest {
    private static Node node(Service service, int index, String ip, NodeState state) {
        return new Node("id-" + service + index, "shop-" + service.label() + "-" + index, service, index, state, ip,
                new Endpoint("127.0.0.1", 30000 + index), "redis:7", null);
    }

    private static final Node MASTER = node(Service.MASTER, 1, "10.0.0.2", NodeState.RUNNING);
    private static final Node REPLICA_1 = node(Service.REPLICA, 1, "10.0.0.3", NodeState.RUNNING);
    private static final Node REPLICA_2 = node(Service.REPLICA, 2, "10.0.0.4", NodeState.RUNNING);
    private static final Node SENTINEL_1 = node(Service.SENTINEL, 1, "10.0.0.5", NodeState.RUNNING);
    private static final Node SENTINEL_2 = node(Service.SENTINEL, 2, "10.0.0.6", NodeState.RUNNING);
    private static final Node SENTINEL_3 = node(Service.SENTINEL, 3, "10.0.0.7", NodeState.PAUSED);
    private static final Deployment DEPLOYMENT = new Deployment("shop", "shop-net",
            List.of(MASTER, REPLICA_1, REPLICA_2, SENTINEL_1, SENTINEL_2, SENTINEL_3));

    /** After a failover: the Sentinels name replica-2. */
    private static NodeSelector afterFailover() {
        return new NodeSelector(DEPLOYMENT, () -> Optional.of(REPLICA_2));
    }

    @Test
    void namesAsStatusShowsThemOrTheContainerName() {
        NodeSelector s = afterFailover();
        assertEquals(MASTER, s.one("master-1"));
        assertEquals(REPLICA_1, s.one("replica-1"));
        assertEquals(REPLICA_1, s.one("slave-1"));
        assertEquals(SENTINEL_3, s.one("sentinel-3"));
        assertEquals(REPLICA_2, s.one("shop-replica-2"));
        assertEquals("replica-2", NodeSelector.shortName(REPLICA_2));
    }

    @Test
    void masterIsTheNodeTheSentinelsNameNow() {
        assertEquals(REPLICA_2, afterFailover().one("master"));
        NotReadyException none = assertThrows(NotReadyException.class,
                () -> new NodeSelector(DEPLOYMENT, Optional::empty).one("master"));
        assertTrue(none.getMessage().contains("no Sentinel names a master"), none.getMessage());
    }

    @Test
    void groupsAndAllForCommandsThatTakeSeveralNodes() {
        NodeSelector s = afterFailover();
        assertEquals(DEPLOYMENT.nodes(), s.select(List.of()));
        assertEquals(List.of(SENTINEL_1, SENTINEL_2, SENTINEL_3), s.select(List.of("sentinels")));
        assertEquals(List.of(MASTER, REPLICA_1), s.select(List.of("replicas")), "every Redis node but the master");
        assertEquals(List.of(REPLICA_2, SENTINEL_1), s.select(List.of("master", "sentinel-1", "replica-2")),
                "in the order named, each once");
    }

    @Test
    void anUnknownNameListsTheNodes() {
        NoSuchNodeException e = assertThrows(NoSuchNodeException.class, () -> afterFailover().one("replica-7"));
        assertEquals("no node named 'replica-7' in project shop; the nodes are master, master-1, replica-1, replica-2, "
                + "sentinel-1, sentinel-2, sentinel-3, sentinels, replicas", e.getMessage());
        assertThrows(NoSuchNodeException.class, () -> afterFailover().select(List.of("mastr")));
    }

    @Test
    void theMasterIsAskedOnlyWhenNeeded() {
        NodeSelector s = new NodeSelector(DEPLOYMENT, () -> {
            throw new AssertionError("asked the Sentinels");
        });
        assertEquals(List.of(MASTER), s.select(List.of("master-1")));
    }

    @Test
    void theMasterIsWhatMostRunningSentinelsName() {
        Map<Node, String> answers = Map.of(SENTINEL_1, "10.0.0.4:6379", SENTINEL_2, "10.0.0.4:6379",
                SENTINEL_3, "10.0.0.2:6379");
        assertEquals(Optional.of(REPLICA_2), NodeSelector.namedMaster(DEPLOYMENT, s -> Optional.ofNullable(answers.get(s))));
        assertEquals(Optional.empty(), NodeSelector.namedMaster(DEPLOYMENT, s -> Optional.of("10.9.9.9:6379")),
                "an address of no node of the deployment");
    }

    @Test
    void aNodeNameHasAFormTheCommandLineCanTell() {
        assertTrue(NodeSelector.looksLikeNode("master", "shop"));
        assertTrue(NodeSelector.looksLikeNode("replica-12", "shop"));
        assertTrue(NodeSelector.looksLikeNode("shop-sentinel-1", "shop"));
        assertFalse(NodeSelector.looksLikeNode("GET", "shop"));
        assertFalse(NodeSelector.looksLikeNode("sentinel", "shop"));
        assertFalse(NodeSelector.looksLikeNode("MASTER", "shop"));
    }
}
