package io.redisha.failover;

import io.redisha.backend.FaultKind;
import io.redisha.topology.PasswordSources;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What failover-test is asked to do.
 *
 * @param faults    how to break the master, one of the backend's faults per round, cycled over the rounds
 * @param rounds    failovers in a row
 * @param writeRate writes per second during each round; 0 for none
 * @param maxLost   acknowledged writes that may be lost before the writes check fails; null for no check
 * @param timeout   bound of each round, from the fault to the deployment ready again
 * @param whileCommand the user's command to run through each round, or null
 * @param partition how long a partition lasts from its injection (it is never healed before Sentinel
 *                  promoted another node), or null for the default: see {@link #partitionLength}
 * @param waitReplicas a write counts as acknowledged only once {@code WAIT waitReplicas} confirms that
 *                  many replicas have it; 0 for plain writes
 */
public record FailoverOptions(List<FaultKind> faults, int rounds, int writeRate, Integer maxLost, Duration timeout,
                              WhileCommand whileCommand, Duration partition, int waitReplicas) {

    /** Margin of the default partition beyond Sentinel's own bounds. */
    static final Duration PARTITION_MARGIN = Duration.ofSeconds(5);

    /**
     * failover-test --while: a shell command run through each round, whose exit status is a check.
     *
     * @param grace     how long it has to exit once its input is closed at the end of the round
     * @param passwords where it finds the passwords (its environment names them, never holds them)
     */
    public record WhileCommand(String command, Duration grace, PasswordSources passwords) {
        public WhileCommand {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(grace, "grace");
            Objects.requireNonNull(passwords, "passwords");
        }
    }

    public FailoverOptions(FaultKind fault, int rounds, int writeRate, Integer maxLost, Duration timeout) {
        this(fault, rounds, writeRate, maxLost, timeout, null);
    }

    public FailoverOptions(FaultKind fault, int rounds, int writeRate, Integer maxLost, Duration timeout,
                           WhileCommand whileCommand) {
        this(List.of(fault), rounds, writeRate, maxLost, timeout, whileCommand, null, 0);
    }

    /** The first round's fault. */
    public FaultKind fault() {
        return faults.get(0);
    }

    /** The fault of round {@code round} (from 1): the list, cycled. */
    public FaultKind faultOf(int round) {
        return faults.get((round - 1) % faults.size());
    }

    /** The faults by name, as the user listed them: "pause,partition". */
    public String faultNames() {
        return String.join(",", faults.stream().map(FaultKind::name).toList());
    }

    public boolean partitions() {
        return faults.stream().anyMatch(FaultKind::isPartition);
    }

    /**
     * How long the partition lasts: as asked, or by default long enough for Sentinel to notice
     * ({@code down-after-milliseconds}), fail over (bounded by {@code failover-timeout}), and a margin
     * in which the isolated master keeps acknowledging writes that the failover has already doomed.
     */
    public Duration partitionLength(int downAfterMillis, int failoverTimeoutMillis) {
        return partition != null ? partition
                : Duration.ofMillis(downAfterMillis + (long) failoverTimeoutMillis).plus(PARTITION_MARGIN);
    }

    public FailoverOptions {
        faults = List.copyOf(faults);
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("no fault");
        }
        Objects.requireNonNull(timeout, "timeout");
        if (rounds < 1 || writeRate < 0 || (maxLost != null && maxLost < 0) || timeout.isNegative() || timeout.isZero()
                || waitReplicas < 0 || (partition != null && (partition.isNegative() || partition.isZero()))) {
            throw new IllegalArgumentException("invalid failover-test options " + rounds + "/" + writeRate + "/"
                    + maxLost + "/" + timeout);
        }
    }
}
