package io.redisha.failover;

import io.redisha.failover.FailoverReport.AfterSwitch;
import io.redisha.failover.FailoverReport.LostWrite;
import io.redisha.failover.FailoverReport.Writes;
import io.redisha.failover.WriteWorkload.Outcome;
import io.redisha.failover.WriteWorkload.Write;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WriteAccountingTest {
    private static final long MS = 1_000_000;
    private static final long ORIGIN = 10_000 * MS;

    private static Write write(long seq, Outcome outcome, long atMs) {
        return new Write(seq, "k" + seq, "v" + seq, outcome, "10.0.0.2:6379", ORIGIN + atMs * MS, null);
    }

    private static final List<Write> LOG = List.of(
            write(1, Outcome.ACK, -900),
            write(2, Outcome.ACK, -880),
            write(3, Outcome.UNKNOWN, 1000),
            write(4, Outcome.FAILED, 2000),
            write(5, Outcome.UNKNOWN, 3000),
            write(6, Outcome.ACK, 6900),
            write(7, Outcome.ACK, 6920));

    @Test
    void everyAcknowledgedWriteIsEitherReadBackOrLost() {
        Map<String, String> readBack = new HashMap<>();
        readBack.put("k1", "v1");
        readBack.put("k2", null);          // acknowledged, gone: lost
        readBack.put("k3", "v3");          // no reply, but applied
        readBack.put("k5", null);
        readBack.put("k6", "v6");
        readBack.put("k7", "something else"); // overwritten value: lost too
        Writes w = WriteAccounting.account(50, LOG, readBack, null, ORIGIN, ORIGIN - 1000 * MS, ORIGIN + 8000 * MS, a -> "node " + a);
        assertEquals(7, w.attempted());
        assertEquals(4, w.acknowledged());
        assertEquals(1, w.failed());
        assertEquals(2, w.unknown());
        assertEquals(2, w.readBack());
        assertEquals(2, w.lost());
        assertEquals(w.acknowledged(), w.readBack() + w.lost());
        assertEquals(1, w.unknownApplied());
        assertEquals(List.of(new LostWrite("k2", "node 10.0.0.2:6379", -880), new LostWrite("k7", "node 10.0.0.2:6379", 6920)),
                w.lostWrites());
        assertEquals(7, w.samples().size());
        assertEquals(-900, w.samples().get(0).atMs());
        assertEquals("UNKNOWN", w.samples().get(2).outcome());
    }

    @Test
    void longestGapRunsBetweenAcknowledgementsWithStartAndStopAsBounds() {
        Writes w = WriteAccounting.account(50, LOG, Map.of(), null, ORIGIN, ORIGIN - 1000 * MS, ORIGIN + 8000 * MS, a -> a);
        assertEquals(7780, w.longestGapMs());
        assertEquals(-880, w.gapFromMs());
        assertEquals(6900, w.gapToMs());

        assertArrayEquals(new long[]{0, 10}, WriteAccounting.longestGap(List.of(), 0, 10), "no ack at all: the whole run");
        assertArrayEquals(new long[]{3, 10}, WriteAccounting.longestGap(List.of(1L, 3L), 0, 10), "after the last ack");
    }

    @Test
    void withoutReadBackTheLossIsUnknownNotZero() {
        Writes w = WriteAccounting.account(50, LOG, null, "no Sentinel named a master", ORIGIN, ORIGIN, ORIGIN + 8000 * MS,
                a -> a);
        assertEquals(4, w.acknowledged());
        assertNull(w.readBack());
        assertNull(w.lost());
        assertNull(w.unknownApplied());
        assertEquals("no Sentinel named a master", w.verifyError());
    }

    private static Write at(long seq, Outcome outcome, long atMs, String target) {
        return new Write(seq, "k" + seq, "v" + seq, outcome, target, ORIGIN + atMs * MS, null);
    }

    @Test
    void writesTheOldMasterAcknowledgedAfterTheSwitchAreCountedApartWithWhatSurvived() {
        String old = "10.0.0.2:6379";
        String promoted = "10.0.0.3:6379";
        List<Write> log = List.of(
                at(1, Outcome.ACK, 1000, old),        // before the switch: not in the split, lost
                at(2, Outcome.ACK, 5000, old),        // after the switch, lost
                at(3, Outcome.ACK, 6000, old),        // after the switch, survived (e.g. replicated before the partition)
                at(4, Outcome.ACK, 6500, promoted),   // the new master's: not in the split
                at(5, Outcome.FAILED, 7000, old),     // READONLY once demoted: not acknowledged
                at(6, Outcome.UNKNOWN, 7500, old));
        Map<String, String> readBack = new HashMap<>();
        readBack.put("k3", "v3");
        readBack.put("k4", "v4");
        Map<String, String> names = Map.of(old, "p-master-1", promoted, "p-replica-1");
        Writes w = WriteAccounting.account(50, log, readBack, null, ORIGIN, ORIGIN, ORIGIN + 8000 * MS, names::get,
                new WriteAccounting.Context("sticky", null, "p-master-1", ORIGIN + 4000 * MS));
        assertEquals("sticky", w.client());
        assertEquals(new AfterSwitch("p-master-1", 2, 1L, 1L, 6000L, 6000L), w.afterSwitch(),
                "its last acknowledgement is the ACK at 6 s, not the later refused or unanswered writes");
        assertEquals(4, w.acknowledged());
        assertEquals(2, w.lost());
        assertEquals(w.acknowledged(), w.readBack() + w.lost());

        Writes noFailover = WriteAccounting.account(50, log, readBack, null, ORIGIN, ORIGIN, ORIGIN + 8000 * MS,
                names::get, new WriteAccounting.Context("sticky", null, "p-master-1", null));
        assertNull(noFailover.afterSwitch(), "no switch, no split");

        Writes unread = WriteAccounting.account(50, log, null, "no master", ORIGIN, ORIGIN, ORIGIN + 8000 * MS,
                names::get, new WriteAccounting.Context("sticky", null, "p-master-1", ORIGIN + 4000 * MS));
        assertEquals(new AfterSwitch("p-master-1", 2, null, null, 6000L, 6000L), unread.afterSwitch(), "counted, survival unknown");
    }

    @Test
    void writesThatWaitDidNotConfirmAreNeitherAcknowledgedNorLost() {
        List<Write> log = List.of(
                write(1, Outcome.ACK, 100),
                write(2, Outcome.UNCONFIRMED, 200),  // applied, WAIT short: survived
                write(3, Outcome.UNCONFIRMED, 300),  // applied, WAIT short: gone
                write(4, Outcome.ACK, 400));         // confirmed, and gone all the same: lost
        Map<String, String> readBack = new HashMap<>();
        readBack.put("k1", "v1");
        readBack.put("k2", "v2");
        Writes w = WriteAccounting.account(50, log, readBack, null, ORIGIN, ORIGIN, ORIGIN + 1000 * MS, a -> a,
                new WriteAccounting.Context("sentinel", 1, "x", null));
        assertEquals(1, w.waitReplicas());
        assertEquals(2, w.acknowledged());
        assertEquals(2, w.unconfirmed());
        assertEquals(1, w.unconfirmedApplied());
        assertEquals(1, w.lost());
        assertEquals(w.attempted(), w.acknowledged() + w.failed() + w.unknown() + w.unconfirmed());
        assertEquals(List.of("k1", "k2", "k3", "k4"), WriteAccounting.keysToRead(log), "unconfirmed keys are read back too");
    }

    @Test
    void onlyAcknowledgedAndUnansweredKeysAreRead() {
        assertEquals(List.of("k1", "k2", "k3", "k5", "k6", "k7"), WriteAccounting.keysToRead(LOG));
    }
}
