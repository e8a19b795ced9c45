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
    void moreRedisServersThanHostsIsRefusedUnlessTheRiskIsAccepted() {
        String problem = new Placement(THREE, false).problem(4, 3, 2).orElseThrow();
        assertTrue(problem.startsWith("the swarm has 3 usable hosts [h1, h2, h3] but this topology needs 4"), problem);
        assertTrue(problem.contains("swarm.accept-risk: true"), problem);
        assertTrue(new Placement(THREE, true).problem(4, 3, 2).isEmpty());
    }

    @Test
    void fiveSentinelsOnThreeHostsSurviveAnyHostTwoOnOneHostLeaveThreeOfFive() {
        assertTrue(new Placement(THREE, false).problem(3, 5, 2).isEmpty());
        assertTrue(new Placement(THREE, false).problem(3, 5, 3).isEmpty());
        assertTrue(new Placement(THREE, false).problem(3, 5, 4).orElseThrow().contains("fewer than the quorum of 4"));
    }

    @Test
    void fourSentinelsOnThreeHostsLoseTheMajorityWithTheHostThatRunsTwo() {
        String problem = new Placement(THREE, false).problem(3, 4, 2).orElseThrow();
        assertTrue(problem.startsWith("losing one host would leave 2 of the 4 Sentinels (4 Sentinels on 3 hosts put 2"
                + " on one), not a majority"), problem);
        assertTrue(new Placement(THREE, true).problem(3, 4, 2).isEmpty());
    }

    @Test
    void aSwarmWithNoUsableHostIsRefusedEvenWhenTheRiskIsAccepted() {
        assertTrue(new Placement(List.of(), true).problem(1, 1, 1).isPresent());
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
        assertTrue(ServiceSpecs.holdsPassword("port 6379\nrequirepass \"x\"\n".getBytes()));
        assertEquals(false, ServiceSpecs.holdsPassword("port 6379\nreplicaof redis-master 6379\n".getBytes()));
        assertTrue(ServiceSpecs.holdsPassword("-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n".getBytes()),
                "a TLS key is a secret too");
        assertEquals(false, ServiceSpecs.holdsPassword("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".getBytes()));
    }
}
