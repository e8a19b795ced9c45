package io.redisha.failover;

import io.redisha.sentinel.SentinelEvent;
import io.redisha.failover.FailoverReport.Phase;
import io.redisha.failover.WriteWorkload.Outcome;
import io.redisha.failover.WriteWorkload.Write;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhasesTest {
    private static final String OLD = "10.0.0.2:6379";
    private static final long ORIGIN = 1_000_000_000L;

    private static SentinelEvent at(long ms, String sentinel, String type, String message) {
        return new SentinelEvent(sentinel, type, message, ORIGIN + ms * 1_000_000);
    }

    private static final List<SentinelEvent> FAILOVER = List.of(
            at(-2000, "s1", "+sdown", "master mymaster 10.0.0.2 6379"),       // before the fault: ignored
            at(5100, "s2", "+sdown", "sentinel 10.0.0.9:26379 10.0.0.9 26379 @ mymaster 10.0.0.2 6379"),
            at(5230, "s1", "+sdown", "master mymaster 10.0.0.2 6379"),
            at(5210, "s3", "+sdown", "master mymaster 10.0.0.2 6379"),       // received earlier, appended later
            at(5400, "s3", "+odown", "master mymaster 10.0.0.2 6379 #quorum 2/2"),
            at(5450, "s3", "+elected-leader", "master mymaster 10.0.0.2 6379"),
            at(5600, "s3", "+selected-slave", "slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.2 6379"),
            at(6100, "s3", "+promoted-slave", "slave 10.0.0.3:6379 10.0.0.3 6379 @ mymaster 10.0.0.2 6379"),
            at(7000, "s1", "+switch-master", "mymaster 10.0.0.2 6379 10.0.0.3 6379"));

    private static Map<String, Phase> byKey(List<Phase> phases) {
        return phases.stream().collect(Collectors.toMap(Phase::key, Function.identity()));
    }

    @Test
    void phasesComeFromTheEarliestMatchingEventAfterTheFault() {
        Phase firstWrite = new Phase(Phases.FIRST_WRITE, "first write", 6900L, "writes");
        Map<String, Phase> p = byKey(Phases.of(FAILOVER, ORIGIN, "mymaster", OLD, firstWrite, 20_000L, 21_000L));
        assertEquals(5210L, p.get(Phases.SDOWN).atMs());
        assertEquals("s3", p.get(Phases.SDOWN).by());
        assertEquals(5400L, p.get(Phases.ODOWN).atMs());
        assertEquals(5450L, p.get(Phases.LEADER).atMs());
        assertEquals(6100L, p.get(Phases.PROMOTED).atMs());
        assertEquals(7000L, p.get(Phases.SWITCH).atMs());
        assertEquals(6900L, p.get(Phases.FIRST_WRITE).atMs());
        assertEquals(20_000L, p.get(Phases.REJOINED).atMs());
        assertEquals(21_000L, p.get(Phases.READY).atMs());
    }

    @Test
    void aPhaseReceivedAfterALaterOneTakesTheLaterReceipt() {
        // the leader's thread was starved: its +promoted-slave arrives after another Sentinel's +switch-master
        List<SentinelEvent> events = FAILOVER.stream()
                .map(e -> e.type().equals("+promoted-slave") ? at(7010, "s3", e.type(), e.message()) : e).toList();
        Map<String, Phase> p = byKey(Phases.of(events, ORIGIN, "mymaster", OLD, null, null, null));
        assertEquals(7000L, p.get(Phases.PROMOTED).atMs());
        assertEquals("s1", p.get(Phases.PROMOTED).by());
        assertEquals(7000L, p.get(Phases.SWITCH).atMs());
        assertEquals(5450L, p.get(Phases.LEADER).atMs());
    }

    @Test
    void selectionStandsInForAMissingPromotion() {
        List<SentinelEvent> events = FAILOVER.stream().filter(e -> !e.type().equals("+promoted-slave")).toList();
        Phase promoted = byKey(Phases.of(events, ORIGIN, "mymaster", OLD, null, null, null)).get(Phases.PROMOTED);
        assertEquals(5600L, promoted.atMs());
        assertTrue(promoted.label().contains("+selected-slave"));
    }

    @Test
    void eventsAboutAnotherMasterDoNotCount() {
        Map<String, Phase> p = byKey(Phases.of(FAILOVER, ORIGIN, "mymaster", "10.0.0.7:6379", null, null, null));
        assertNull(p.get(Phases.SDOWN).atMs());
        assertNull(p.get(Phases.SWITCH).atMs());
    }

    @Test
    void firstWriteIsTheEarliestAckOnTheNewMasterAfterTheFault() {
        List<Write> log = List.of(
                new Write(1, "k1", "v", Outcome.ACK, "10.0.0.3:6379", ORIGIN - 5_000_000, null),
                new Write(2, "k2", "v", Outcome.ACK, OLD, ORIGIN + 1_000_000, null),
                new Write(3, "k3", "v", Outcome.FAILED, "10.0.0.3:6379", ORIGIN + 6_000_000_000L, null),
                new Write(4, "k4", "v", Outcome.ACK, "10.0.0.3:6379", ORIGIN + 6_500_000_000L, null));
        Phase fromWrites = Phases.firstWrite(log, "10.0.0.3:6379", ORIGIN, 7000L);
        assertEquals(6500L, fromWrites.atMs());
        assertEquals("writes", fromWrites.by());
        Phase fromProbe = Phases.firstWrite(List.of(), "10.0.0.3:6379", ORIGIN, 7000L);
        assertEquals(7000L, fromProbe.atMs());
        assertEquals("probe", fromProbe.by());
    }

    @Test
    void diagnosisSaysHowFarSentinelGot() {
        List<SentinelEvent> sdownOnly = List.of(at(5200, "s1", "+sdown", "master mymaster 10.0.0.2 6379"));
        assertTrue(Phases.diagnosis(sdownOnly, ORIGIN, "mymaster", OLD, 2, 3).contains("quorum of 2"));
        List<SentinelEvent> noReplica = List.of(
                at(5200, "s1", "+odown", "master mymaster 10.0.0.2 6379 #quorum 2/2"),
                at(5300, "s1", "+try-failover", "master mymaster 10.0.0.2 6379"),
                at(5400, "s1", "-failover-abort-no-good-slave", "master mymaster 10.0.0.2 6379"));
        assertTrue(Phases.diagnosis(noReplica, ORIGIN, "mymaster", OLD, 2, 3).contains("no replica"));
        List<SentinelEvent> noLeader = List.of(at(5200, "s1", "+odown", "master mymaster 10.0.0.2 6379 #quorum 2/2"));
        assertTrue(Phases.diagnosis(noLeader, ORIGIN, "mymaster", OLD, 2, 5).contains("majority of the 5 Sentinels (3)"));
        assertEquals("no Sentinel reported the master down", Phases.diagnosis(List.of(), ORIGIN, "mymaster", OLD, 2, 3));
    }

    @Test
    void summaryListsFirstOfEachTypeInTimeOrder() {
        String summary = Phases.summary(FAILOVER, ORIGIN, 3);
        assertTrue(summary.startsWith("+sdown sentinel at 5.1 s (s2), +sdown master at 5.2 s (s3)"), summary);
        assertTrue(summary.endsWith("more"), summary);
        assertEquals("no Sentinel event at all", Phases.summary(List.of(), ORIGIN, 3));
    }
}
