package io.redisha.failover;

import io.redisha.failover.FailoverReport.Outcome;
import io.redisha.failover.FailoverReport.Round;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FailoverReportTest {
    private static Round round(Outcome outcome) {
        return new Round(1, "pause", "paused", "m", null, outcome, null, List.of(), 0L, List.of(), null, List.of(), List.of(),
                List.of(), 0);
    }

    @Test
    void noFailoverOutranksAFailedCheck() {
        assertEquals(Outcome.NO_FAILOVER, FailoverReport.outcomeOf(List.of(round(Outcome.FAIL), round(Outcome.NO_FAILOVER)), 2));
        assertEquals(Outcome.FAIL, FailoverReport.outcomeOf(List.of(round(Outcome.PASS), round(Outcome.FAIL)), 2));
        assertEquals(Outcome.PASS, FailoverReport.outcomeOf(List.of(round(Outcome.PASS), round(Outcome.PASS)), 2));
    }

    @Test
    void fewerRoundsThanAskedIsNotAPass() {
        assertEquals(Outcome.FAIL, FailoverReport.outcomeOf(List.of(round(Outcome.PASS)), 3));
    }
}
