package io.redisha.cli;

import io.redisha.cluster.ClusterStatus;
import io.redisha.report.StatusReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show every node by actual role, and the Sentinels' view. "
        + "Exit 0 when ready, 5 when not, 6 when nothing is deployed. --watch shows it again as it changes.")
public class StatusCommand implements Callable<Integer> {
    @Option(names = {"-w", "--watch"},
            description = "Look again every --interval seconds and show the status whenever it changes (redrawn in place on a "
                    + "terminal, appended otherwise), with the time of the last change; Ctrl-C ends it.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "With --watch, seconds between two looks (default: ${DEFAULT-VALUE}).")
    double interval;

    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    OutputOption output;
    @Mixin
    LoggingMixin logging;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (Session session = Session.open(project, err)) {
            // the engine is asked once: whether anything is deployed is asked only when no node is
            ClusterStatus status = session.cluster.status();
            if (status.nodes().isEmpty() && status.sentinels().isEmpty() && !session.cluster.exists()) {
                throw new UserException(ExitCodes.REFUSED, "project " + session.loaded.topology().project()
                        + " is not deployed on " + session.backend.describe() + " (run redisha up)");
            }
            if (watch) {
                return watch(session, status, out);
            }
            out.print(output.json() ? StatusReport.json(status) : StatusReport.text(status));
            out.flush();
            return status.ready() ? ExitCodes.OK : ExitCodes.NOT_READY;
        }
    }

    /** Shows the status, then again each time what it says changes, until interrupted. */
    private int watch(Session session, ClusterStatus first, java.io.PrintWriter out) {
        if (interval < 0.2 || interval > 3600) {
            throw new UserException(ExitCodes.USAGE, "--interval: must be 0.2 to 3600 seconds");
        }
        boolean terminal = System.console() != null && !output.json();
        ClusterStatus status = first;
        String shown = null;
        java.time.Instant changed = java.time.Instant.now();
        while (!Thread.currentThread().isInterrupted()) {
            String key = StatusReport.essence(status);
            if (!key.equals(shown)) {
                changed = java.time.Instant.now();
                if (terminal) {
                    out.print("\033[H\033[2J"); // home and clear: the table redrawn in place
                }
                out.print(output.json() ? StatusReport.json(status).strip() + System.lineSeparator()
                        : StatusReport.text(status) + "(last change " + changed.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        + "; every " + interval + " s, Ctrl-C ends)" + System.lineSeparator() + System.lineSeparator());
                out.flush();
                shown = key;
            }
            try {
                io.redisha.wait.Await.sleep(java.time.Duration.ofMillis((long) (interval * 1000)));
            } catch (java.util.concurrent.CancellationException e) {
                break; // interrupted: the watch ends as Ctrl-C ends it
            }
            try {
                status = session.cluster.status();
            } catch (RuntimeException e) {
                if (interrupted(e)) {
                    break; // interrupted while asking (an engine call's channel closed by it): the watch ends
                }
                throw e;
            }
        }
        return ExitCodes.OK;
    }

    /** Whether this thread was interrupted, or {@code e} comes from an interruption of its I/O. */
    static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.ClosedByInterruptException || t instanceof InterruptedException
                    || t instanceof java.io.InterruptedIOException) {
                return true;
            }
        }
        return false;
    }
}
