package io.redisha.failover;

import io.redisha.failover.FailoverReport.AfterSwitch;
import io.redisha.failover.FailoverReport.LostWrite;
import io.redisha.failover.FailoverReport.Sample;
import io.redisha.failover.FailoverReport.Writes;
import io.redisha.failover.WriteWorkload.Outcome;
import io.redisha.failover.WriteWorkload.Write;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns the workload's log and what was read back from the master into the write figures.
 * Pure: every number here can be checked without a Redis.
 */
final class WriteAccounting {
    static final int LOST_WRITES_SHOWN = 20;

    private WriteAccounting() {
    }

    /**
     * Who wrote, and the failover the writes went through.
     *
     * @param client       "sentinel" or "sticky"
     * @param waitReplicas replicas WAIT had to confirm, or null without WAIT
     * @param oldMaster    container name of the master when the fault began
     * @param switchNanos  the first {@code +switch-master}, or null when Sentinel promoted no node
     */
    record Context(String client, Integer waitReplicas, String oldMaster, Long switchNanos) {
        static final Context PLAIN = new Context("sentinel", null, null, null);
    }

    static Writes account(int rate, List<Write> log, Map<String, String> readBack, String verifyError,
                          long originNanos, long startNanos, long stopNanos, Function<String, String> nameOf) {
        return account(rate, log, readBack, verifyError, originNanos, startNanos, stopNanos, nameOf, Context.PLAIN);
    }

    /**
     * @param readBack    key to value found on the master for every ACK, UNKNOWN and UNCONFIRMED key
     *                    (null value: absent); null when the read-back could not be done
     * @param verifyError why there is no read-back, or null
     * @param originNanos the fault's injection time; every time is reported from it
     * @param startNanos  when the workload started
     * @param stopNanos   when it stopped
     * @param nameOf      container name of a node's network address, for the lost writes
     */
    static Writes account(int rate, List<Write> log, Map<String, String> readBack, String verifyError,
                          long originNanos, long startNanos, long stopNanos, Function<String, String> nameOf,
                          Context context) {
        long acknowledged = 0;
        long failed = 0;
        long unknown = 0;
        long found = 0;
        long unknownApplied = 0;
        long unconfirmed = 0;
        long unconfirmedApplied = 0;
        long afterSwitch = 0;
        long afterSwitchFound = 0;
        Long afterSwitchLast = null;
        Long oldMasterLast = null;
        List<LostWrite> lostWrites = new ArrayList<>();
        long lost = 0;
        List<Sample> samples = new ArrayList<>(log.size());
        List<Long> ackTimes = new ArrayList<>();
        for (Write w : log) {
            samples.add(new Sample(millis(w.nanos() - originNanos), w.outcome().name()));
            boolean there = readBack != null && Objects.equals(w.value(), readBack.get(w.key()));
            switch (w.outcome()) {
                case ACK -> {
                    acknowledged++;
                    ackTimes.add(w.nanos());
                    String by = w.target() == null ? null : nameOf.apply(w.target());
                    if (w.nanos() >= originNanos && Objects.equals(by, context.oldMaster())) {
                        oldMasterLast = millis(w.nanos() - originNanos);
                    }
                    if (context.switchNanos() != null && w.nanos() >= context.switchNanos()
                            && Objects.equals(by, context.oldMaster())) {
                        afterSwitch++;
                        afterSwitchLast = millis(w.nanos() - originNanos);
                        afterSwitchFound += there ? 1 : 0;
                    }
                    if (there) {
                        found++;
                    } else if (readBack != null) {
                        lost++;
                        if (lostWrites.size() < LOST_WRITES_SHOWN) {
                            lostWrites.add(new LostWrite(w.key(), by, millis(w.nanos() - originNanos)));
                        }
                    }
                }
                case FAILED -> failed++;
                case UNKNOWN -> {
                    unknown++;
                    unknownApplied += there ? 1 : 0;
                }
                case UNCONFIRMED -> {
                    unconfirmed++;
                    unconfirmedApplied += there ? 1 : 0;
                }
            }
        }
        long[] gap = longestGap(ackTimes, startNanos, stopNanos);
        boolean verified = readBack != null;
        AfterSwitch split = context.switchNanos() == null ? null : new AfterSwitch(context.oldMaster(), afterSwitch,
                verified ? afterSwitchFound : null, verified ? afterSwitch - afterSwitchFound : null, afterSwitchLast, oldMasterLast);
        return new Writes(rate, log.size(), acknowledged, failed, unknown,
                verified ? found : null, verified ? lost : null, verified ? unknownApplied : null,
                verified ? null : verifyError, millis(gap[1] - gap[0]), millis(gap[0] - originNanos),
                millis(gap[1] - originNanos), List.copyOf(lostWrites), List.copyOf(samples), context.client(),
                context.waitReplicas(), unconfirmed, verified ? unconfirmedApplied : null, split);
    }

    /** The longest window between acknowledgements, counting the workload's start and stop as bounds. */
    static long[] longestGap(List<Long> ackNanos, long startNanos, long stopNanos) {
        long from = startNanos;
        long to = startNanos;
        long previous = startNanos;
        List<Long> bounds = new ArrayList<>(ackNanos);
        bounds.add(Math.max(stopNanos, previous));
        for (long t : bounds) {
            if (t - previous > to - from) {
                from = previous;
                to = t;
            }
            previous = Math.max(previous, t);
        }
        return new long[]{from, to};
    }

    /** Keys whose read-back decides the figures: every acknowledged, unanswered or unconfirmed write. */
    static List<String> keysToRead(List<Write> log) {
        return log.stream().filter(w -> w.outcome() != Outcome.FAILED).map(Write::key).toList();
    }

    static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
