package io.redisha.failover;

import io.redisha.sentinel.SentinelEvent;
import io.redisha.failover.FailoverReport.Phase;
import io.redisha.failover.WriteWorkload.Outcome;
import io.redisha.failover.WriteWorkload.Write;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** The phases of a failover, read from Sentinel's events and redisha's own observations. Pure. */
final class Phases {
    static final String SDOWN = "sdown";
    static final String ODOWN = "odown";
    static final String LEADER = "leader";
    static final String PROMOTED = "promoted";
    static final String SWITCH = "switch";
    static final String FIRST_WRITE = "first-write";
    static final String REJOINED = "rejoined";
    static final String READY = "ready";

    private Phases() {
    }

    /**
     * @param origin      the fault's injection ({@link System#nanoTime()}); earlier events do not count
     * @param firstWrite  the first acknowledged write on the new master, or null
     * @param rejoinedMs  when the old master was seen replicating from the new one with its link up, or null
     * @param readyMs     when the deployment was seen ready again, or null
     */
    static List<Phase> of(List<SentinelEvent> events, long origin, String masterName, String oldMaster,
                          Phase firstWrite, Long rejoinedMs, Long readyMs) {
        List<Phase> phases = new ArrayList<>();
        phases.add(fromEvent(SDOWN, "detected by Sentinel (+sdown)", events, origin, masterName, oldMaster, "+sdown"));
        phases.add(fromEvent(ODOWN, "objectively down (+odown)", events, origin, masterName, oldMaster, "+odown"));
        phases.add(fromEvent(LEADER, "leader elected (+elected-leader)", events, origin, masterName, oldMaster,
                "+elected-leader"));
        Phase promoted = fromEvent(PROMOTED, "replica promoted (+promoted-slave)", events, origin, masterName,
                oldMaster, "+promoted-slave");
        if (promoted.atMs() == null) {
            // the leader may be cut off before it reports the promotion; the selection is the next best mark
            promoted = fromEvent(PROMOTED, "replica selected (+selected-slave)", events, origin, masterName,
                    oldMaster, "+selected-slave");
        }
        phases.add(promoted);
        Optional<SentinelEvent> sw = first(events, origin,
                e -> e.isSwitchMaster() && e.concernsMaster(masterName, oldMaster));
        phases.add(new Phase(SWITCH, "switch announced (+switch-master)", sw.map(e -> ms(e.nanos() - origin)).orElse(null),
                sw.map(SentinelEvent::sentinel).orElse(null)));
        knownBy(phases);
        phases.add(firstWrite != null ? firstWrite : new Phase(FIRST_WRITE, "first write on the new master", null, null));
        phases.add(new Phase(REJOINED, "old master rejoined as replica", rejoinedMs, rejoinedMs == null ? null : "redisha"));
        phases.add(new Phase(READY, "deployment ready again", readyMs, readyMs == null ? null : "redisha"));
        return phases;
    }

    /**
     * Each Sentinel phase happened no later than any later one was heard of: the promotion precedes
     * its +switch-master. Events of different Sentinels arrive on threads of their own, and on a busy
     * machine a later phase can be received first; the earlier phase then takes that receipt, and the
     * Sentinel that told it, as the moment redisha knew it had happened.
     */
    private static void knownBy(List<Phase> sentinelPhases) {
        for (int i = sentinelPhases.size() - 2; i >= 0; i--) {
            Phase phase = sentinelPhases.get(i);
            Phase later = sentinelPhases.get(i + 1);
            if (phase.atMs() != null && later.atMs() != null && later.atMs() < phase.atMs()) {
                sentinelPhases.set(i, new Phase(phase.key(), phase.label(), later.atMs(), later.by()));
            }
        }
    }

    /** The first acknowledged write on the new master after the fault, by the workload or else redisha's probe. */
    static Phase firstWrite(List<Write> log, String newMaster, long origin, Long probeMs) {
        Long workload = log.stream()
                .filter(w -> w.outcome() == Outcome.ACK && newMaster.equals(w.target()) && w.nanos() >= origin)
                .map(w -> ms(w.nanos() - origin)).findFirst().orElse(null);
        String label = "first write on the new master";
        if (workload != null && (probeMs == null || workload <= probeMs)) {
            return new Phase(FIRST_WRITE, label, workload, "writes");
        }
        return new Phase(FIRST_WRITE, label, probeMs, probeMs == null ? null : "probe");
    }

    /** Why Sentinel did not fail over, read from how far its events got after the fault. */
    static String diagnosis(List<SentinelEvent> events, long origin, String masterName, String oldMaster,
                            int quorum, int sentinels) {
        List<SentinelEvent> after = events.stream().filter(e -> e.nanos() >= origin).toList();
        java.util.function.Predicate<String> seen = type -> after.stream()
                .anyMatch(e -> type.equals(e.type()) && e.concernsMaster(masterName, oldMaster));
        if (seen.test("-failover-abort-no-good-slave")) {
            return "Sentinel found no replica it could promote (-failover-abort-no-good-slave)";
        }
        if (seen.test("+try-failover") || seen.test("+elected-leader")) {
            return "a failover started but Sentinel did not announce its end";
        }
        if (seen.test("+odown")) {
            return "the master was objectively down but no Sentinel was elected leader: that takes the votes of a "
                    + "majority of the " + sentinels + " Sentinels (" + (sentinels / 2 + 1) + ")";
        }
        if (after.stream().anyMatch(e -> e.isMasterEvent("+sdown", masterName, oldMaster))) {
            return "Sentinel saw the master down (+sdown) but never objectively down (+odown): fewer Sentinels than "
                    + "the quorum of " + quorum + " agreed";
        }
        return "no Sentinel reported the master down";
    }

    /** First time each event type appeared after the fault, in order: for a reason that shows how far Sentinel got. */
    static String summary(List<SentinelEvent> events, long origin, int limit) {
        Map<String, SentinelEvent> firsts = new LinkedHashMap<>();
        List<SentinelEvent> byTime = events.stream()
                .sorted(Comparator.comparingLong(SentinelEvent::nanos)).toList();
        for (SentinelEvent e : byTime) {
            if (e.nanos() >= origin) {
                firsts.putIfAbsent(e.type() + (e.instanceType() == null ? "" : " " + e.instanceType()), e);
            }
        }
        if (firsts.isEmpty()) {
            return "no Sentinel event at all";
        }
        List<String> parts = new ArrayList<>();
        firsts.forEach((key, e) -> parts.add(key + " at " + seconds(e.nanos() - origin) + " s (" + e.sentinel() + ")"));
        if (parts.size() > limit) {
            int more = parts.size() - limit;
            return String.join(", ", parts.subList(0, limit)) + " and " + more + " more";
        }
        return String.join(", ", parts);
    }

    private static Phase fromEvent(String key, String label, List<SentinelEvent> events, long origin,
                                   String masterName, String oldMaster, String type) {
        Optional<SentinelEvent> e = first(events, origin, ev -> type.equals(ev.type()) && ev.concernsMaster(masterName, oldMaster)
                && (!"+sdown".equals(type) && !"+odown".equals(type) || "master".equals(ev.instanceType())));
        return new Phase(key, label, e.map(ev -> ms(ev.nanos() - origin)).orElse(null),
                e.map(SentinelEvent::sentinel).orElse(null));
    }

    private static Optional<SentinelEvent> first(List<SentinelEvent> events, long origin,
                                                 Predicate<SentinelEvent> match) {
        // several subscriber threads append: the earliest receipt, not the first in the list
        return events.stream().filter(e -> e.nanos() >= origin).filter(match)
                .min(Comparator.comparingLong(SentinelEvent::nanos));
    }

    static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
