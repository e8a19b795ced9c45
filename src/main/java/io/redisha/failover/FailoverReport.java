package io.redisha.failover;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a failover-test found: per round the phases timed from the fault, the write figures, the
 * checks and Sentinel's events. All times are milliseconds from the fault's injection.
 *
 * @param downAfterMilliseconds Sentinel's {@code down-after-milliseconds}: no failover can be faster
 * @param outcome               PASS when every round passed; NO_FAILOVER when some round saw no failover
 * @param partitionSeconds      how long a partition lasts (fault partition), or null for other faults
 * @param waitReplicas          replicas WAIT confirms for each write, or null without WAIT
 */
public record FailoverReport(String project, String fault, int roundsRequested, int writeRate, Integer maxLost,
                             long timeoutSeconds, int downAfterMilliseconds, int minReplicasToWrite,
                             int minReplicasMaxLag, String startedAt, List<Round> rounds, Outcome outcome,
                             Double partitionSeconds, Integer waitReplicas) {

    public FailoverReport(String project, String fault, int roundsRequested, int writeRate, Integer maxLost,
                          long timeoutSeconds, int downAfterMilliseconds, int minReplicasToWrite, int minReplicasMaxLag,
                          String startedAt, List<Round> rounds, Outcome outcome) {
        this(project, fault, roundsRequested, writeRate, maxLost, timeoutSeconds, downAfterMilliseconds,
                minReplicasToWrite, minReplicasMaxLag, startedAt, rounds, outcome, null, null);
    }

    public enum Outcome { PASS, FAIL, NO_FAILOVER }

    public enum Status { PASS, FAIL, SKIP }

    /** Overall outcome: no failover in any round outranks a failed check. */
    public static Outcome outcomeOf(List<Round> rounds, int requested) {
        if (rounds.stream().anyMatch(r -> r.outcome() == Outcome.NO_FAILOVER)) {
            return Outcome.NO_FAILOVER;
        }
        if (rounds.size() < requested || rounds.stream().anyMatch(r -> r.outcome() != Outcome.PASS)) {
            return Outcome.FAIL;
        }
        return Outcome.PASS;
    }

    /**
     * One injection and its consequences.
     *
     * @param injected       the fault as a past participle for people ("paused"); JSON has the fault's name
     * @param oldMaster      container that was master when the fault was injected
     * @param newMaster      container Sentinel promoted, or null when it did not
     * @param reason         why the round did not pass, or null
     * @param healedAtMs     when redisha undid the fault, or null when it undid nothing: restart-fast is over
     *                       once the engine restarted the node, a node can be left down (the notes say why)
     * @param notReadyBefore what kept the deployment from being ready before the fault (tested anyway)
     * @param notes          what redisha did or saw beyond the plan (e.g. a Sentinel reset)
     * @param durationMs     from the fault to the end of the round's checks
     * @param application    the user's command run through the round (--while), or null
     * @param sticky         the writes of the client that stayed with the old master, or null without writes
     * @param healed         what undoing the fault is called ("unpaused", "started", "reconnected"), or null
     *                       when nothing was undone
     */
    public record Round(int round, String fault, @JsonIgnore String injected, String oldMaster, String newMaster, Outcome outcome, String reason,
                        List<Phase> phases, Long healedAtMs, List<Check> checks, Writes writes, List<Event> events,
                        List<String> notReadyBefore, List<String> notes, long durationMs, Application application,
                        Writes sticky, String healed) {

        public Round(int round, String fault, String injected, String oldMaster, String newMaster, Outcome outcome,
                     String reason, List<Phase> phases, Long healedAtMs, List<Check> checks, Writes writes,
                     List<Event> events, List<String> notReadyBefore, List<String> notes, long durationMs,
                     Application application, Writes sticky) {
            this(round, fault, injected, oldMaster, newMaster, outcome, reason, phases, healedAtMs, checks, writes,
                    events, notReadyBefore, notes, durationMs, application, sticky, null);
        }

        public Round(int round, String fault, String injected, String oldMaster, String newMaster, Outcome outcome,
                     String reason, List<Phase> phases, Long healedAtMs, List<Check> checks, Writes writes,
                     List<Event> events, List<String> notReadyBefore, List<String> notes, long durationMs,
                     Application application) {
            this(round, fault, injected, oldMaster, newMaster, outcome, reason, phases, healedAtMs, checks, writes,
                    events, notReadyBefore, notes, durationMs, application, null);
        }

        public Round(int round, String fault, String injected, String oldMaster, String newMaster, Outcome outcome,
                     String reason, List<Phase> phases, Long healedAtMs, List<Check> checks, Writes writes,
                     List<Event> events, List<String> notReadyBefore, List<String> notes, long durationMs) {
            this(round, fault, injected, oldMaster, newMaster, outcome, reason, phases, healedAtMs, checks, writes,
                    events, notReadyBefore, notes, durationMs, null);
        }

        public Phase phase(String key) {
            return phases.stream().filter(p -> p.key().equals(key)).findFirst().orElse(null);
        }
    }

    /**
     * @param key   stable identifier: sdown, odown, leader, promoted, switch, first-write, rejoined, ready
     * @param atMs  milliseconds from the fault, or null when it was not observed
     * @param by    what observed it: a Sentinel's container name, "writes", "probe" or "redisha"
     */
    public record Phase(String key, String label, Long atMs, String by) {
    }

    public record Check(String name, Status status, String detail) {
    }

    /** One Sentinel event, as received. */
    public record Event(String sentinel, String type, long atMs, String message) {
    }

    /**
     * The write workload's figures. readBack, lost and unknownApplied are null when the read-back
     * could not be done (verifyError says why).
     *
     * @param lost             acknowledged writes whose value is not on the master afterwards
     * @param unknownApplied   writes without a reply whose value is there nonetheless
     * @param longestGapMs     longest time without an acknowledged write while the workload ran
     * @param gapFromMs        where that window starts, from the fault
     * @param lostWrites       the first lost writes, for a look by hand
     * @param samples          every write's outcome over time (for the chart; not in the JSON)
     * @param client           which client wrote: "sentinel" (follows Sentinel) or "sticky" (stays with the old master)
     * @param waitReplicas     replicas WAIT had to confirm for a write to count as acknowledged, or null without WAIT
     * @param unconfirmed      writes Redis applied but fewer than waitReplicas replicas confirmed in time (not acknowledged)
     * @param unconfirmedApplied unconfirmed writes whose value is on the master afterwards
     * @param afterSwitch      what the old master acknowledged after Sentinel promoted another node, or null without failover
     */
    public record Writes(int rate, long attempted, long acknowledged, long failed, long unknown, Long readBack,
                         Long lost, Long unknownApplied, String verifyError, long longestGapMs, long gapFromMs,
                         long gapToMs, List<LostWrite> lostWrites, @JsonIgnore List<Sample> samples, String client,
                         Integer waitReplicas, long unconfirmed, Long unconfirmedApplied, AfterSwitch afterSwitch) {

        public Writes(int rate, long attempted, long acknowledged, long failed, long unknown, Long readBack,
                      Long lost, Long unknownApplied, String verifyError, long longestGapMs, long gapFromMs,
                      long gapToMs, List<LostWrite> lostWrites, List<Sample> samples) {
            this(rate, attempted, acknowledged, failed, unknown, readBack, lost, unknownApplied, verifyError,
                    longestGapMs, gapFromMs, gapToMs, lostWrites, samples, "sentinel", null, 0, null, null);
        }
    }

    /**
     * Writes that the old master acknowledged after Sentinel had promoted another node: two nodes
     * answered as master, and what the old one took is discarded when it is demoted.
     *
     * @param oldMaster    the node that was master when the fault began
     * @param acknowledged writes it acknowledged after the first {@code +switch-master}
     * @param survived     of them, read back afterwards (null when there was no read-back)
     * @param lost         of them, missing afterwards (null when there was no read-back)
     * @param lastAtMs     when it acknowledged the last of them, from the fault, or null when none
     * @param lastAckMs    when it acknowledged its last write after the fault, before the switch or after
     *                     (with min-replicas-to-write, an isolated master stops within the lag), or null when none
     */
    public record AfterSwitch(String oldMaster, long acknowledged, Long survived, Long lost, Long lastAtMs,
                              Long lastAckMs) {
    }

    /**
     * An acknowledged write that is not on the master afterwards.
     *
     * @param acknowledgedBy container (or address) that replied OK
     * @param atMs           when it replied, from the fault
     */
    public record LostWrite(String key, String acknowledgedBy, long atMs) {
    }

    /** A write's outcome (ACK, FAILED, UNKNOWN) when it was known, from the fault. */
    public record Sample(long atMs, String outcome) {
    }

    /**
     * The user's command of failover-test --while, as it ran through a round. Times from the fault.
     *
     * @param startedAtMs     when it was started (before the fault: negative)
     * @param firstOutputAtMs its first line of output, or null
     * @param inputClosedAtMs when the round ended and its input was closed, or null when it had exited before
     * @param exitedAtMs      when it exited, or null when it could not be started
     * @param exitStatus      its exit status (128 + N when a signal N ended it), or null
     * @param terminated      whether redisha had to stop it because it did not exit in time
     * @param output          its output (stdout and stderr), the last lines when there were more
     * @param outputDropped   earlier lines left out
     */
    public record Application(String command, Long startedAtMs, Long firstOutputAtMs, Long inputClosedAtMs,
                              Long exitedAtMs, Integer exitStatus, boolean terminated, List<OutputLine> output,
                              int outputDropped) {
    }

    /** A line the application printed, when. */
    public record OutputLine(long atMs, String text) {
    }

    public boolean passed() {
        return outcome == Outcome.PASS;
    }

    /**
     * The rounds of one fault kind, summed up.
     *
     * @param medianSwitchMs median time from the fault to {@code +switch-master}, over the rounds that saw one
     * @param worstSwitchMs  the longest of them
     * @param acknowledged   acknowledged writes of redisha's client; lost: of them, lost (null when some round could not tell)
     * @param stickyAcknowledged the same for the sticky client
     */
    public record Summary(String fault, int rounds, int passed, Long medianSwitchMs, Long worstSwitchMs,
                          long acknowledged, Long lost, long stickyAcknowledged, Long stickyLost) {
    }

    /** Per fault kind, in the order they first ran. */
    @JsonProperty("summary")
    public List<Summary> summary() {
        Map<String, List<Round>> byFault = new LinkedHashMap<>();
        rounds.forEach(r -> byFault.computeIfAbsent(r.fault(), f -> new ArrayList<>()).add(r));
        List<Summary> out = new ArrayList<>();
        byFault.forEach((fault, list) -> {
            List<Long> switches = list.stream().map(r -> r.phase("switch")).filter(Objects::nonNull)
                    .map(Phase::atMs).filter(Objects::nonNull).sorted().toList();
            out.add(new Summary(fault, list.size(), (int) list.stream().filter(r -> r.outcome() == Outcome.PASS).count(),
                    switches.isEmpty() ? null : median(switches), switches.isEmpty() ? null : switches.get(switches.size() - 1),
                    sum(list, Round::writes, Writes::acknowledged), sumLost(list, Round::writes),
                    sum(list, Round::sticky, Writes::acknowledged), sumLost(list, Round::sticky)));
        });
        return out;
    }

    /** The lower middle value of a sorted list, so that it is one that was measured. */
    static long median(List<Long> sorted) {
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static long sum(List<Round> rounds, java.util.function.Function<Round, Writes> client,
                            java.util.function.ToLongFunction<Writes> figure) {
        return rounds.stream().map(client).filter(Objects::nonNull).mapToLong(figure).sum();
    }

    private static Long sumLost(List<Round> rounds, java.util.function.Function<Round, Writes> client) {
        List<Writes> all = rounds.stream().map(client).filter(Objects::nonNull).toList();
        return all.stream().anyMatch(w -> w.lost() == null) ? null : all.stream().mapToLong(Writes::lost).sum();
    }
}
