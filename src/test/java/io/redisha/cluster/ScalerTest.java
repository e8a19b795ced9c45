package io.redisha.cluster;

import io.redisha.backend.Endpoint;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.sentinel.SentinelView;
import io.redisha.topology.Topology;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalerTest {
    private static final Topology DEFAULTS = Topology.defaults();

    private static Node node(Service service, int index) {
        int ip = 2 + service.ordinal() * 10 + index;
        return new Node(service.label() + index, "p-" + service.label() + "-" + index, service, index,
                NodeState.RUNNING, "10.0.0." + ip, new Endpoint("127.0.0.1", 30000 + ip), "redis:7", null);
    }

    private static Deployment deployment(Node... nodes) {
        return new Deployment("p", "p-net", List.of(nodes));
    }

    private static final Node M1 = node(Service.MASTER, 1);
    private static final Node R1 = node(Service.REPLICA, 1);
    private static final Node R2 = node(Service.REPLICA, 2);
    private static final Node R3 = node(Service.REPLICA, 3);
    private static final Node S1 = node(Service.SENTINEL, 1);
    private static final Node S2 = node(Service.SENTINEL, 2);
    private static final Node S3 = node(Service.SENTINEL, 3);
    private static final Node S4 = node(Service.SENTINEL, 4);

    // ---- target: refusals before anything is touched

    @Test
    void targetAppliesTheRequestedCountsAndKeepsTheOthers() {
        Topology t = Scaler.target(DEFAULTS, null, 5);
        assertEquals(5, t.sentinels().count());
        assertEquals(2, t.replicas().count());
        assertEquals(DEFAULTS.sentinels().quorum(), t.sentinels().quorum());
        assertEquals(0, Scaler.target(DEFAULTS, 0, null).replicas().count());
    }

    @Test
    void weakButLegalCountsAreAllowed() {
        assertEquals(2, Scaler.target(DEFAULTS, null, 2).sentinels().count());
        Topology one = DEFAULTS.withSentinelCount(3);
        one = new Topology(one.project(), one.image(), one.bind(), one.master(), one.replicas(),
                new io.redisha.topology.Sentinels(3, 1, "mymaster", 5000, 5000, 1, List.of()));
        assertEquals(1, Scaler.target(one, null, 1).sentinels().count());
    }

    @Test
    void refusesSentinelsBelowTheQuorumZeroSentinelsAndNegativeCounts() {
        assertRefused("sentinel=1 is below the quorum of 2 (sentinels.quorum)", null, 1);
        assertRefused("sentinel=0: without Sentinels", null, 0);
        assertRefused("sentinel=-3: a count cannot be negative", null, -3);
        assertRefused("replica=-1: a count cannot be negative", -1, null);
        assertRefused("replica=-1: a count cannot be negative; sentinel=1 is below the quorum", -1, 1);
    }

    private static void assertRefused(String start, Integer replicas, Integer sentinels) {
        Scaler.RefusedException e = assertThrows(Scaler.RefusedException.class,
                () -> Scaler.target(DEFAULTS, replicas, sentinels));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    // ---- picking the replicas to remove

    @Test
    void removesTheHighestNumberedReplicasFirst() {
        Deployment d = deployment(M1, R1, R2, R3);
        assertEquals(List.of(R3, R2), Shrink.redisVictims(d, M1, 2));
    }

    @Test
    void neverRemovesTheCurrentMasterEvenWhenItIsTheHighestNumbered() {
        Deployment d = deployment(M1, R1, R2);
        assertEquals(List.of(R1), Shrink.redisVictims(d, R2, 1));
    }

    @Test
    void removesTheMasterServiceContainerOnlyWhenNothingElseIsLeft() {
        Deployment d = deployment(M1, R1, R2);
        assertEquals(List.of(R1, M1), Shrink.redisVictims(d, R2, 2));
    }

    // ---- what the deployment lacks or has too much of

    @Test
    void redisServersAreACountSoAShrinkAroundTheMasterNeedsNoRecreation() {
        Expected oneReplica = new Expected(1, 3);
        Deployment afterShrink = deployment(M1, R2, S1, S2, S3); // replica-2 is master, replica-1 went
        assertEquals(List.of(), oneReplica.missing(afterShrink));
        assertEquals(List.of(), oneReplica.containerProblems(afterShrink));
        Deployment onlyTheMaster = deployment(R2, S1, S2, S3);
        assertEquals(List.of(), new Expected(0, 3).missing(onlyTheMaster));
        assertEquals(List.of(new Expected.Slot(Service.MASTER, 1)), oneReplica.missing(onlyTheMaster));
    }

    @Test
    void missingNodesFillTheFirstFreeSlots() {
        Expected e = new Expected(2, 3);
        assertEquals(e.slots(), e.missing(deployment()));
        assertEquals(List.of(new Expected.Slot(Service.REPLICA, 2), new Expected.Slot(Service.SENTINEL, 3)),
                e.missing(deployment(M1, R1, S1, S2)));
        assertEquals(List.of(new Expected.Slot(Service.REPLICA, 1)), e.missing(deployment(M1, R2, S1, S2, S3)));
    }

    @Test
    void extrasAreTheHighestNumberedSentinelsAndTheRedisServersBeyondTheCount() {
        Expected e = new Expected(1, 2);
        Deployment d = deployment(M1, R1, R2, S1, S2, S3, S4);
        assertEquals(List.of(S4, S3), e.extraSentinels(d));
        assertEquals(1, e.extraRedisServers(d));
        assertTrue(e.hasExtras(d));
        List<String> problems = e.containerProblems(d);
        assertTrue(problems.contains("p-sentinel-3 is not in the topology (1 replicas, 2 sentinels)"), problems::toString);
        assertTrue(problems.contains("3 Redis servers where the topology has 2 (1 master + 1 replica)"), problems::toString);
    }

    // ---- rediscovery after SENTINEL RESET

    private static SentinelView view(Node master, List<Node> replicas, List<Node> sentinels,
                                     String... stale) {
        List<SentinelView.Instance> r = new ArrayList<>(replicas.stream()
                .map(n -> new SentinelView.Instance(n.networkAddress(), n.networkAddress(), "slave")).toList());
        List<SentinelView.Instance> s = new ArrayList<>(sentinels.stream()
                .map(n -> new SentinelView.Instance("runid-" + n.index(), n.networkAddress(), "sentinel")).toList());
        for (String address : stale) {
            s.add(new SentinelView.Instance("runid-gone", address, "s_down,sentinel"));
        }
        return new SentinelView(master.networkAddress(), "master", r, s, true, "OK", false, null);
    }

    @Test
    void aResetSentinelHasRediscoveredWhenItKnowsExactlyTheSurvivors() {
        Deployment d = deployment(M1, R1, S1, S2, S3);
        Set<String> others = Set.of(S2.id(), S3.id());
        Set<String> replicas = Set.of(R1.id());
        assertNull(SentinelResets.rediscoveryGap(d, view(M1, List.of(R1), List.of(S2, S3)), M1, others, replicas));
        assertEquals("knows 1 of 2 other sentinels, knows 0 of 1 replicas",
                SentinelResets.rediscoveryGap(d, view(M1, List.of(), List.of(S2)), M1, others, replicas));
        assertEquals("knows 2 of 2 other sentinels, and also 10.0.0.99:26379 (down)",
                SentinelResets.rediscoveryGap(d, view(M1, List.of(R1), List.of(S2, S3), "10.0.0.99:26379"), M1, others, replicas));
        assertEquals("names p-replica-1 as master, not p-master-1",
                SentinelResets.rediscoveryGap(d, view(R1, List.of(M1), List.of(S2, S3)), M1, others, replicas));
        assertEquals("cannot be asked: refused",
                SentinelResets.rediscoveryGap(d, SentinelView.unreachable("refused"), M1, others, replicas));
    }
}
