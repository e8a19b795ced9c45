package io.redisha.failover;

import io.redisha.backend.FaultKind;

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
 */
public record FailoverOptions(FaultKind fault, int rounds, int writeRate, Integer maxLost, Duration timeout) {
    public FailoverOptions {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(timeout, "timeout");
        if (rounds < 1 || writeRate < 0 || (maxLost != null && maxLost < 0) || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("invalid failover-test options " + rounds + "/" + writeRate + "/"
                    + maxLost + "/" + timeout);
        }
    }
}
