package io.redisha.failover;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

/**
 * What a failover-test found: per round the phases timed from the fault, the write figures, the
 * checks and Sentinel's events. All times are milliseconds from the fault's injection.
 *
 * @param downAfterMilliseconds Sentinel's {@code down-after-milliseconds}: no failover can be faster
 * @param outcome               PASS when every round passed; NO_FAILOVER when some round saw no failover
 */
public record FailoverReport(String project, String fault, int roundsRequested, int writeRate, Integer maxLost,
                             long timeoutSeconds, int downAfterMilliseconds, int minReplicasToWrite,
                             int minReplicasMaxLag, String startedAt, List<Round> rounds, Outcome outcome) {

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
     * @param healedAtMs     when redisha undid the fault
     * @param notReadyBefore what kept the deployment from being ready before the fault (tested anyway)
     * @param notes          what redisha did or saw beyond the plan (e.g. a Sentinel reset)
     * @param durationMs     from the fault to the end of the round's checks
     * @param application    the user's command run through the round (--while), or null
     */
    public record Round(int round, String fault, @JsonIgnore String injected, String oldMaster, String newMaster, Outcome outcome, String reason,
                        List<Phase> phases, Long healedAtMs, List<Check> checks, Writes writes, List<Event> events,
                        List<String> notReadyBefore, List<String> notes, long durationMs, Application application) {

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
     */
    public record Writes(int rate, long attempted, long acknowledged, long failed, long unknown, Long readBack,
                         Long lost, Long unknownApplied, String verifyError, long longestGapMs, long gapFromMs,
                         long gapToMs, List<LostWrite> lostWrites, @JsonIgnore List<Sample> samples) {
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
}
