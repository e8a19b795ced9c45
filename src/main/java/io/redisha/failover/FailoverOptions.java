package io.redisha.failover;

import io.redisha.backend.FaultKind;
import io.redisha.topology.PasswordSources;

import java.time.Duration;
import java.util.Objects;

/**
 * What failover-test is asked to do.
 *
 * @param fault     how to break the master, one of the backend's faults
 * @param rounds    failovers in a row
 * @param writeRate writes per second during each round; 0 for none
 * @param maxLost   acknowledged writes that may be lost before the writes check fails; null for no check
 * @param timeout   bound of each round, from the fault to the deployment ready again
 * @param whileCommand the user's command to run through each round, or null
 */
public record FailoverOptions(FaultKind fault, int rounds, int writeRate, Integer maxLost, Duration timeout,
                              WhileCommand whileCommand) {

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

    public FailoverOptions {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(timeout, "timeout");
        if (rounds < 1 || writeRate < 0 || (maxLost != null && maxLost < 0) || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("invalid failover-test options " + rounds + "/" + writeRate + "/"
                    + maxLost + "/" + timeout);
        }
    }
}
