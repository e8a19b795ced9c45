package io.redisha.report;

import io.redisha.failover.FailoverReport;
import io.redisha.failover.FailoverReport.AfterSwitch;
import io.redisha.failover.FailoverReport.Application;
import io.redisha.failover.FailoverReport.Check;
import io.redisha.failover.FailoverReport.Event;
import io.redisha.failover.FailoverReport.LostWrite;
import io.redisha.failover.FailoverReport.Outcome;
import io.redisha.failover.FailoverReport.OutputLine;
import io.redisha.failover.FailoverReport.Phase;
import io.redisha.failover.FailoverReport.Round;
import io.redisha.failover.FailoverReport.Sample;
import io.redisha.failover.FailoverReport.Status;
import io.redisha.failover.FailoverReport.Writes;

import java.util.ArrayList;
import java.util.List;

/**
 * A report with every kind of row and label the timeline can draw, with long node names: a pause
 * round with WAIT and an application, a partition round with both clients and the window in which
 * two nodes answered as master, a restart-fast round (nothing undone), a kill round without
 * failover and without writes (the master left down), and a drain round whose last phases sit at
 * the right edge.
 */
final class LongLabelReport {
    static final String MASTER = "shop-production-eu-west-redis-master-1";
    static final String REPLICA = "shop-production-eu-west-redis-replica-12";
    private static final String SENTINEL = "shop-production-eu-west-sentinel-3";

    private LongLabelReport() {
    }

    static FailoverReport report() {
        List<Round> rounds = List.of(pause(), partition(), restartFast(), killWithoutFailover(), drain());
        return new FailoverReport("shop-production-eu-west", "pause,partition,restart-fast,kill,drain", 6, 50, 0, 60,
                5000, 1, 10, "2026-01-01T00:00:00Z", rounds, Outcome.FAIL, 15.0, 1);
    }

    /** The Sentinel phases close together, as they are in a real failover: their labels need several rows. */
    private static List<Phase> phases(long sdown, Long rejoined, Long ready) {
        List<Phase> phases = new ArrayList<>(List.of(
                new Phase("sdown", "detected by Sentinel (+sdown)", sdown, SENTINEL),
                new Phase("odown", "objectively down (+odown)", sdown + 90, SENTINEL),
                new Phase("leader", "leader elected (+elected-leader)", sdown + 120, SENTINEL),
                new Phase("promoted", "replica promoted (+promoted-slave)", sdown + 1010, SENTINEL),
                new Phase("switch", "switch announced (+switch-master)", sdown + 1900, SENTINEL),
                new Phase("first-write", "first write on the new master", sdown + 1850, "writes")));
        phases.add(new Phase("rejoined", "old master rejoined as replica", rejoined, rejoined == null ? null : "redisha"));
        phases.add(new Phase("ready", "deployment ready again", ready, ready == null ? null : "redisha"));
        return phases;
    }

    /** A write every 20 ms from 'from' to 'to', in the outcomes' order through the round. */
    private static List<Sample> samples(long from, long to, long unknownFrom, long failedFrom, long ackAgain,
                                        String unknownKind) {
        List<Sample> out = new ArrayList<>();
        for (long t = from; t <= to; t += 20) {
            String outcome = t < unknownFrom ? "ACK" : t < failedFrom ? unknownKind : t < ackAgain ? "FAILED" : "ACK";
            out.add(new Sample(t, outcome));
        }
        return out;
    }

    private static Writes writes(String client, List<Sample> samples, AfterSwitch afterSwitch, Integer waitReplicas) {
        long ack = samples.stream().filter(s -> "ACK".equals(s.outcome())).count();
        long failed = samples.stream().filter(s -> "FAILED".equals(s.outcome())).count();
        long unknown = samples.stream().filter(s -> "UNKNOWN".equals(s.outcome())).count();
        long unconfirmed = samples.stream().filter(s -> "UNCONFIRMED".equals(s.outcome())).count();
        return new Writes(50, samples.size(), ack, failed, unknown, ack - 2, 2L, 0L, null, 6200, 5100, 11_300,
                List.of(new LostWrite("redisha:ft:0123456789ab:1:271", MASTER, 5050)), samples, client, waitReplicas,
                unconfirmed, unconfirmed == 0 ? null : 0L, afterSwitch);
    }

    private static List<Check> checks(Status failover) {
        return List.of(new Check("failover", failover, failover == Status.PASS ? "Sentinel promoted " + REPLICA
                        : "no +switch-master within 60 s"),
                new Check("new master", failover == Status.PASS ? Status.PASS : Status.SKIP, "role:master, accepts writes"),
                new Check("ready", failover == Status.PASS ? Status.PASS : Status.SKIP, "every replica's link up"));
    }

    private static Round pause() {
        Writes writes = writes("sentinel", samples(-1500, 24_000, 5000, 6500, 7100, "UNCONFIRMED"), null, 1);
        Application app = new Application("java -jar shop-checkout-load-generator.jar --orders 1000", -2400L, -2100L,
                24_500L, 24_700L, 0, false, List.of(new OutputLine(-2100, "connected"), new OutputLine(24_650, "done")), 0);
        return new Round(1, "pause", "paused", MASTER, REPLICA, Outcome.PASS, null, phases(5010, 21_400L, 23_900L),
                7200L, checks(Status.PASS), writes, List.of(new Event(SENTINEL, "+sdown", 5010, "master mymaster")),
                List.of(), List.of(), 25_000, app, null, "unpaused");
    }

    private static Round partition() {
        Writes writes = writes("sentinel", samples(-1500, 29_000, 5000, 6500, 7100, "UNKNOWN"),
                new AfterSwitch(MASTER, 0, 0L, 0L, null, 6800L), null);
        Writes sticky = writes("sticky", samples(-1500, 29_000, 20_000, 20_500, 21_000, "UNKNOWN"),
                new AfterSwitch(MASTER, 640, 0L, 640L, 19_990L, 19_990L), null);
        return new Round(2, "partition", "partitioned", REPLICA, MASTER, Outcome.PASS, null,
                phases(5020, 22_000L, 28_500L), 20_000L, checks(Status.PASS), writes, List.of(), List.of(), List.of(),
                29_500, null, sticky, "reconnected");
    }

    private static Round restartFast() {
        Writes writes = writes("sentinel", samples(-1500, 18_000, 300, 5500, 7400, "UNKNOWN"), null, null);
        Writes sticky = writes("sticky", samples(-1500, 18_000, 300, 700, 16_000, "UNKNOWN"), null, null);
        return new Round(3, "restart-fast", "restarted", MASTER, REPLICA, Outcome.PASS, null,
                phases(5030, 12_800L, 17_600L), null, checks(Status.PASS), writes, List.of(), List.of(),
                List.of("nothing to undo: the engine had started " + MASTER + " again at once (restart-fast)"),
                18_500, null, sticky, null);
    }

    private static Round killWithoutFailover() {
        List<Phase> phases = new ArrayList<>(List.of(
                new Phase("sdown", "detected by Sentinel (+sdown)", 5040L, SENTINEL),
                new Phase("odown", "objectively down (+odown)", null, null)));
        return new Round(4, "kill", "killed", REPLICA, null, Outcome.NO_FAILOVER, "no +switch-master within 60 s",
                phases, null, checks(Status.FAIL), null, List.of(), List.of(), List.of(REPLICA + " was left killed"),
                60_100, null, null, null);
    }

    /** The last phases and the end of the writes at the right edge: labels there extend to the left. */
    private static Round drain() {
        Writes writes = writes("sentinel", samples(-1000, 40_000, 5000, 6500, 7100, "UNKNOWN"), null, null);
        return new Round(5, "drain", "drained", MASTER, REPLICA, Outcome.FAIL, "ready: not ready after 60 s",
                phases(5050, 39_800L, 40_000L), 39_900L, checks(Status.PASS), writes, List.of(), List.of(), List.of(),
                40_000, null, null, "reactivated");
    }
}
