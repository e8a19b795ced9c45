package io.redisha.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The time-limit reporting of the integration tests, without a Docker engine and without waiting for a limit. */
class ProgressOnTimeoutTest {
    @BeforeEach
    void freshTranscript() {
        Transcript.reset();
    }

    @Test
    void aTimeoutCarriesTheStderrOfTheCommandStillRunning() {
        PrintWriter err = new PrintWriter(Transcript.started("redisha failover-test --rounds 3", new StringWriter()));
        err.println("round 1: pausing it-fo-master-1 (master); waiting up to 60 s for a failover");
        TimeoutException timeout = new TimeoutException("threeRounds() timed out after 10 minutes");
        timeout.initCause(new IllegalStateException("where the test thread was"));

        Throwable reported = ProgressOnTimeout.withProgress(timeout, Transcript.text());

        TimeoutException withProgress = assertInstanceOf(TimeoutException.class, reported);
        assertEquals("""
                threeRounds() timed out after 10 minutes
                --- stderr of the redisha commands run so far (a command without [exit N] was still running)
                $ redisha failover-test --rounds 3
                round 1: pausing it-fo-master-1 (master); waiting up to 60 s for a failover
                """, withProgress.getMessage());
        assertSame(timeout.getCause(), withProgress.getCause());
        assertArrayEquals(timeout.getStackTrace(), withProgress.getStackTrace());
    }

    @Test
    void commandsRunThroughCliAreRecordedWithTheirExitCode() {
        Cli.Result result = Cli.runRaw("up", "--no-such-option");

        assertEquals(2, result.exitCode(), result::toString);
        String transcript = Transcript.text();
        assertTrue(transcript.startsWith("$ redisha up --no-such-option\nUnknown option: '--no-such-option'\n"), transcript);
        assertTrue(transcript.endsWith("[exit 2]\n"), transcript);
        assertEquals(result.err(), transcript.substring(transcript.indexOf('\n') + 1, transcript.indexOf("[exit 2]")));
    }

    @Test
    void otherFailuresAreLeftAsTheyAre() {
        AssertionError failure = new AssertionError("expected 0 but was 5");
        assertSame(failure, ProgressOnTimeout.withProgress(failure, "$ redisha up\n"));
    }

    @Test
    void aLongTranscriptKeepsItsLastLines() {
        StringWriter ignored = new StringWriter();
        PrintWriter err = new PrintWriter(Transcript.started("redisha up", ignored));
        for (int i = 0; i < 5_000; i++) {
            err.println("waiting for line " + i);
        }
        String text = Transcript.text();
        assertTrue(text.length() <= 20_100, "length " + text.length());
        assertTrue(text.startsWith("[... earlier lines left out]\nwaiting for line "), text.substring(0, 80));
        assertTrue(text.endsWith("waiting for line 4999\n"));
    }
}
