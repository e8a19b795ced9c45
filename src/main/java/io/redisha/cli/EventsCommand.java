package io.redisha.cli;

import io.redisha.backend.Node;
import io.redisha.report.EventsReport;
import io.redisha.sentinel.MergedEvents;
import io.redisha.sentinel.SentinelEvents;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Sentinel's events as they happen, from every Sentinel, merged: the same event told by several "
                + "Sentinels is one line with its witnesses. From now on: Sentinel keeps no history. Ctrl-C ends it; "
                + "--until ends it at the first event of a type (exit 0), --timeout bounds the wait (exit 13).")
public class EventsCommand implements java.util.concurrent.Callable<Integer> {
    /** How long an event waits for the other Sentinels to tell it too. */
    static final Duration WINDOW = Duration.ofMillis(500);

    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    OutputOption output;
    @Mixin
    LoggingMixin logging;

    @Option(names = "--until", paramLabel = "EVENT",
            description = "End at the first event of this type, e.g. +switch-master (exit 0).")
    String until;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "End after this many seconds (exit 13 when --until's event did not come; 0 otherwise).")
    Integer timeout;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (until != null && !until.matches("[+-][a-z0-9-]+")) {
            throw new UserException(ExitCodes.USAGE, "--until: \"" + until + "\" is not a Sentinel event type such as +switch-master");
        }
        if (timeout != null && timeout <= 0) {
            throw new UserException(ExitCodes.USAGE, "--timeout: must be at least 1 second");
        }
        try (Session session = Session.open(project, err)) {
            session.requireDeployed();
            List<Node> sentinels = session.cluster.refresh().sentinels().stream().filter(Node::isRunning).toList();
            if (sentinels.isEmpty()) {
                throw new UserException(ExitCodes.NOT_READY, "no Sentinel of project " + session.loaded.topology().project()
                        + " is running (redisha up starts them)");
            }
            CountDownLatch seen = new CountDownLatch(1);
            MergedEvents merged = new MergedEvents(sentinels.size(), WINDOW, e -> {
                if (seen.getCount() == 0) {
                    return; // --until's event was the last one shown
                }
                synchronized (out) {
                    out.println(output.json() ? EventsReport.jsonLine(e.time(), e.type(), e.message(), e.witnesses())
                            : EventsReport.line(e.time(), e.type(), e.message(), e.witnesses()));
                    out.flush();
                }
                if (e.type().equals(until)) {
                    seen.countDown();
                }
            });
            try (SentinelEvents events = new SentinelEvents(session.cluster.redis().sentinelConfig(2000, 0), sentinels,
                    merged::add)) {
                events.start();
                List<String> silent = events.awaitSubscribed(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
                err.println("listening to " + (sentinels.size() - silent.size()) + " of " + sentinels.size() + " Sentinels"
                        + (silent.isEmpty() ? "" : " (not yet: " + String.join(", ", silent) + ")")
                        + (until == null ? "" : "; until " + until) + (timeout == null ? "" : ", at most " + timeout + " s"));
                err.flush();
                long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
                while (seen.getCount() > 0 && System.nanoTime() - deadline < 0) {
                    seen.await(merged.flushPeriodMillis(), TimeUnit.MILLISECONDS);
                    merged.flushDue(System.nanoTime());
                }
                merged.flushAll();
            }
            if (until != null && seen.getCount() > 0) {
                throw new UserException(ExitCodes.EVENT_TIMEOUT, "no " + until + " within " + timeout + " s");
            }
            return ExitCodes.OK;
        }
    }
}
