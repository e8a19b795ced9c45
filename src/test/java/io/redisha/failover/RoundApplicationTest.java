package io.redisha.failover;

import io.redisha.failover.FailoverOptions.WhileCommand;
import io.redisha.failover.FailoverReport.Application;
import io.redisha.failover.FailoverReport.Check;
import io.redisha.failover.FailoverReport.OutputLine;
import io.redisha.failover.FailoverReport.Status;
import io.redisha.topology.PasswordSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** failover-test --while without Redis: the contract with the user's command, run by a real sh. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoundApplicationTest {
    private final List<String> progress = new ArrayList<>();

    private RoundApplication application(String command, int graceSeconds) {
        return new RoundApplication(new WhileCommand(command, Duration.ofSeconds(graceSeconds), PasswordSources.none()),
                progress::add);
    }

    private static List<String> texts(Application app) {
        return app.output().stream().map(OutputLine::text).toList();
    }

    @Test
    void aCommandThatExitsZeroOnceItsInputIsClosedPasses() {
        try (RoundApplication app = application("echo ready; cat >/dev/null; echo \"bye $REDISHA_MASTER_NAME\"", 10)) {
            app.start(Map.of("REDISHA_MASTER_NAME", "mymaster"));
            long origin = System.nanoTime();
            Check check = app.finish(origin).orElseThrow();
            assertEquals(Status.PASS, check.status(), check::toString);
            assertEquals(RoundApplication.CHECK, check.name());
            assertTrue(check.detail().endsWith(", after the round ended"), check::toString);
            Application report = app.report(origin);
            assertEquals(List.of("ready", "bye mymaster"), texts(report));
            assertEquals(0, report.exitStatus());
            assertFalse(report.terminated());
            assertTrue(report.startedAtMs() <= 0 && report.firstOutputAtMs() <= 0, report::toString);
            assertNotNull(report.inputClosedAtMs());
            assertTrue(report.exitedAtMs() >= report.inputClosedAtMs(), report::toString);
            assertTrue(progress.contains("application| ready"), progress::toString);
        }
    }

    @Test
    void itsExitStatusIsTheCheck() {
        try (RoundApplication app = application("echo ready; cat >/dev/null; echo lost 3 writes; exit 3", 10)) {
            app.start(Map.of());
            Check check = app.finish(System.nanoTime()).orElseThrow();
            assertEquals(Status.FAIL, check.status());
            assertTrue(check.detail().startsWith("exited with status 3 at "), check::toString);
        }
    }

    @Test
    void exitingZeroBeforeTheFaultIsNotSurvivingIt() throws InterruptedException {
        try (RoundApplication app = application("echo done", 10)) {
            app.start(Map.of());
            Thread.sleep(500); // it has exited: the fault comes after
            long origin = System.nanoTime();
            Check check = app.finish(origin).orElseThrow();
            assertEquals(Status.FAIL, check.status());
            assertTrue(check.detail().endsWith("before the fault: it did not run through the failover"), check::toString);
            assertNull(app.report(origin).inputClosedAtMs());
        }
    }

    @Test
    void exitingZeroAfterTheFaultBeforeTheRoundEndedPasses() {
        long origin = System.nanoTime();
        try (RoundApplication app = application("echo checked", 10)) {
            app.start(Map.of());
            Check check = app.finish(origin).orElseThrow();
            assertEquals(Status.PASS, check.status(), check::toString);
        }
    }

    @Test
    void aCommandThatDoesNotExitWithinTheGraceIsTerminatedAndFailsAndNothingItStartedOutlivesIt() throws Exception {
        long started = System.nanoTime();
        long child;
        try (RoundApplication app = application("sleep 30 & echo \"child $!\"; wait; echo never", 1)) {
            app.start(Map.of());
            long origin = System.nanoTime();
            Check check = app.finish(origin).orElseThrow();
            assertEquals(Status.FAIL, check.status());
            assertTrue(check.detail().startsWith("did not exit within 1 s after its input was closed"), check::toString);
            Application report = app.report(origin);
            assertTrue(report.terminated());
            assertFalse(texts(report).contains("never"), texts(report)::toString);
            child = Long.parseLong(texts(report).get(0).substring("child ".length()));
        }
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(15), "stopped within the grace and the term wait");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "the command's sleep " + child + " outlived it");
            Thread.sleep(50);
        }
    }

    @Test
    void withoutACommandThereIsNoCheckAndNoReport() {
        try (RoundApplication app = new RoundApplication(null, progress::add)) {
            app.start(Map.of());
            assertTrue(app.finish(System.nanoTime()).isEmpty());
            assertNull(app.report(System.nanoTime()));
        }
    }
}
