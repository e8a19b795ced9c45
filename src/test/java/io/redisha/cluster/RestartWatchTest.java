package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.NodeStarts;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestartWatchTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Instant CREATED = Instant.parse("2026-01-01T10:00:00Z");

    private static Node node(String name, NodeState state) {
        return new Node("id-" + name, name, Service.REPLICA, 1, state, null, null, "redis:7", null);
    }

    @Test
    void aNodeRunningSinceItsCreationGivesNoWarning() {
        var judged = RestartWatch.judge(List.of(new NodeStarts("r1", 0, CREATED, CREATED.plusSeconds(1), null, false)),
                List.of(node("r1", NodeState.RUNNING)), NOW);
        assertEquals(List.of(), judged.warnings());
        NodeStart s = judged.starts().get(0);
        assertEquals("2026-01-01T10:00:01Z", s.lastStart());
        assertEquals(7199L, s.secondsSinceStart());
        assertFalse(s.crashLoop());
    }

    @Test
    void aRecentRestartByTheEngineIsAWarningNotALoop() {
        var judged = RestartWatch.judge(List.of(new NodeStarts("r1", 1, CREATED, NOW.minusSeconds(42), null, false)),
                List.of(node("r1", NodeState.RUNNING)), NOW);
        assertEquals(List.of("r1 started again 42s ago (restarted 1 time by the engine after its process ended)"),
                judged.warnings());
        assertFalse(judged.starts().get(0).crashLoop());
    }

    @Test
    void aNodeStartedLongAfterItsCreationWithoutRestartsCountsAsStartedAgain() {
        var judged = RestartWatch.judge(List.of(new NodeStarts("r1", 0, CREATED, NOW.minusSeconds(300), null, false)),
                List.of(node("r1", NodeState.RUNNING)), NOW);
        assertTrue(judged.warnings().get(0).startsWith("r1 started again 300s ago".replace("300s", "5m")), judged.warnings()::toString);
    }

    @Test
    void anOldRestartIsNoLongerReported() {
        var judged = RestartWatch.judge(List.of(new NodeStarts("r1", 5, CREATED, NOW.minusSeconds(3600), null, false)),
                List.of(node("r1", NodeState.RUNNING)), NOW);
        assertEquals(List.of(), judged.warnings());
        assertFalse(judged.starts().get(0).crashLoop());
    }

    @Test
    void aNodeTheEngineKeepsRestartingIsACrashLoopWithItsExitCode() {
        var judged = RestartWatch.judge(List.of(new NodeStarts("r1", 4, CREATED, NOW.minusSeconds(2), 1, false)),
                List.of(node("r1", NodeState.RESTARTING)), NOW);
        assertTrue(judged.starts().get(0).crashLoop());
        assertEquals(List.of("r1 keeps restarting (crash loop): restarted 4 times by the engine, last start 2s ago,"
                + " its last process exited with code 1; see redisha logs r1"), judged.warnings());
    }

    @Test
    void aStoppedNodeEndedByTheOutOfMemoryKillerSaysSo() {
        var judged = RestartWatch.judge(List.of(new NodeStarts("r1", 0, CREATED, CREATED.plusSeconds(1), 137, true)),
                List.of(node("r1", NodeState.EXITED)), NOW);
        assertEquals(List.of("r1 is exited, its last process ended by the out-of-memory killer (resources.memory)"),
                judged.warnings());
    }

    @Test
    void agesReadAsPeopleSayThem() {
        assertEquals("42s", NodeStart.ago(42));
        assertEquals("7m", NodeStart.ago(7 * 60));
        assertEquals("3h", NodeStart.ago(3 * 3600));
        assertEquals("2d", NodeStart.ago(2 * 86400));
    }
}
