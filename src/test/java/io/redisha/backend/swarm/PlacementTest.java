package io.redisha.backend.swarm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlacementTest {
    private static final List<String> THREE = List.of("h1", "h2", "h3");

    @Test
    void threeHostsCarryAMasterTwoReplicasAndThreeSentinels() {
        assertTrue(new Placement(THREE, false).problem(3, 3, 2).isEmpty());
    }

    @Test
    void moreRedisServersThanHostsIsRefusedEvenWhenTheRiskIsAccepted() {
        String problem = new Placement(THREE, true).problem(4, 3, 2).orElseThrow();
        assertTrue(problem.startsWith("the swarm has 3 usable hosts [h1, h2, h3] but this topology needs 4"), problem);
    }

    @Test
    void twoSentinelsCannotLoseAHostUnlessTheRiskIsAccepted() {
        String problem = new Placement(THREE, false).problem(3, 2, 2).orElseThrow();
        assertTrue(problem.contains("leave 1 of the 2 Sentinels, fewer than the quorum of 2"), problem);
        assertTrue(new Placement(THREE, true).problem(3, 2, 2).isEmpty());
    }

    @Test
    void noReplicaMeansNothingToPromote() {
        assertTrue(new Placement(THREE, false).problem(1, 3, 2).orElseThrow().contains("no replica to promote"));
    }

    @Test
    void aFileHoldingAPasswordIsASecret() {
        assertTrue(SwarmBackend.holdsPassword("port 6379\nrequirepass \"x\"\n".getBytes()));
        assertEquals(false, SwarmBackend.holdsPassword("port 6379\nreplicaof redis-master 6379\n".getBytes()));
    }
}
