package io.redisha.cli;

import io.redisha.failover.FailoverReport;
import io.redisha.failover.FailoverOptions;
import io.redisha.failover.FailoverTest;
import io.redisha.backend.FaultKind;
import io.redisha.report.FailoverHtml;
import io.redisha.report.FailoverReports;
import io.redisha.topology.PasswordSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "failover-test", mixinStandardHelpOptions = true,
        description = {"Break the current master on purpose and check that Sentinel fails over: a replica is promoted "
                + "(seen in Sentinel's events), it answers role:master and accepts a write, every Sentinel names it, "
                + "the old master rejoins as its replica once the fault is undone, and the deployment ends ready. "
                + "A client writes throughout and every acknowledged write is read back; with --while, your "
                + "application runs through each round too.",
                "Exit 0 when every check passed, 7 when no failover happened within the timeout, 8 when a check "
                        + "failed, 5 when there is no master to test."})
public class FailoverTestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    OutputOption output;
    @Mixin
    LoggingMixin logging;
    @Option(names = "--fault", paramLabel = "FAULT[,FAULT...]", completionCandidates = Faults.class,
            converter = Faults.class,
            description = "How to break the master; a comma-separated list is cycled over the rounds. "
                    + "${COMPLETION-CANDIDATES} (default: pause on one engine, stop on "
                    + "Swarm). One engine: pause = docker pause; stop = graceful stop; kill = SIGKILL, started again "
                    + "after the failover; disconnect = cut off the project's network; partition = cut off the Sentinels "
                    + "and replicas while it keeps running and serving the host's clients, for --partition-seconds. Swarm (platform: swarm): stop = "
                    + "the master's service scaled to 0; drain = the master's host drained.")
    String fault;
    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
            description = "Fail over N times in a row, each from the master of the moment (default: ${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = "--writes", paramLabel = "RATE", defaultValue = "50",
            description = "Writes per second during each round, 0 for none (default: ${DEFAULT-VALUE}).")
    int writes;
    @Option(names = "--max-lost", paramLabel = "N",
            description = "Fail when more than N acknowledged writes are lost (default: report the loss, no check).")
    Integer maxLost;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Bound of each round, from the fault to the deployment ready again (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;
    @Option(names = "--while", paramLabel = "COMMAND",
            description = "Run this shell command (sh -c) through each round, to prove that an application survives "
                    + "the failover: started before the fault with the deployment's connection details in its "
                    + "environment (as connect --output env), its input closed when the round is over; its exit "
                    + "status is the check 'application survived the failover', its output goes into the report.")
    String whileCommand;
    @Option(names = "--while-grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long the --while command has to exit once its input is closed (default: ${DEFAULT-VALUE}).")
    int whileGraceSeconds;
    @Option(names = "--partition-seconds", paramLabel = "SECONDS",
            description = "How long --fault partition lasts from the fault; it is never healed before Sentinel promoted "
                    + "another node (default: down-after-milliseconds + failover-timeout + 5 s).")
    Integer partitionSeconds;
    @Option(names = "--wait-replicas", paramLabel = "N", defaultValue = "0",
            description = "Send WAIT N after each write and count it acknowledged only when N replicas confirmed it "
                    + "(default: ${DEFAULT-VALUE}, plain writes).")
    int waitReplicas;
    @Option(names = "--report", paramLabel = "FILE.html",
            description = "Also write a self-contained HTML report with each round's timeline.")
    Path report;

    @Override
    public Integer call() {
        validate();
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (Session session = Session.openExclusive(project, err, "failover-test")) {
            session.requireDeployed();
            List<FaultKind> kinds = Faults.resolveAll(fault, session.backend);
            FailoverOptions options = new FailoverOptions(kinds, rounds, writes, maxLost, Duration.ofSeconds(timeoutSeconds),
                    whileCommand == null ? null : new FailoverOptions.WhileCommand(whileCommand,
                            Duration.ofSeconds(whileGraceSeconds), PasswordSources.of(session.loaded)),
                    partitionSeconds == null ? null : Duration.ofSeconds(partitionSeconds), waitReplicas);
            requirePartitionWithinTimeout(options, session.cluster.topology().sentinels());
            FailoverReport result = new FailoverTest(session.cluster, options).run();
            out.print(output.json() ? FailoverReports.json(result) : FailoverReports.text(result));
            out.flush();
            if (report != null) {
                writeHtml(result, err);
            }
            return switch (result.outcome()) {
                case PASS -> ExitCodes.OK;
                case NO_FAILOVER -> ExitCodes.NO_FAILOVER;
                case FAIL -> ExitCodes.CHECKS_FAILED;
            };
        }
    }

    private void validate() {
        if (rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--rounds must be at least 1, got " + rounds);
        }
        if (writes < 0 || writes > 10_000) {
            throw new ParameterException(spec.commandLine(), "--writes must be 0 to 10000 per second, got " + writes);
        }
        if (maxLost != null && maxLost < 0) {
            throw new ParameterException(spec.commandLine(), "--max-lost must be 0 or more, got " + maxLost);
        }
        if (maxLost != null && writes == 0) {
            throw new ParameterException(spec.commandLine(), "--max-lost needs writes: it cannot be used with --writes 0");
        }
        if (whileCommand != null && whileCommand.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--while needs a command");
        }
        if (whileGraceSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--while-grace must be at least 1 second, got "
                    + whileGraceSeconds);
        }
        if (partitionSeconds != null && (fault == null || !Faults.split(fault).contains("partition"))) {
            throw new ParameterException(spec.commandLine(), "--partition-seconds needs --fault partition");
        }
        if (partitionSeconds != null && (partitionSeconds < 1 || partitionSeconds >= timeoutSeconds)) {
            throw new ParameterException(spec.commandLine(), "--partition-seconds must be at least 1 and less than"
                    + " --timeout (" + timeoutSeconds + "), got " + partitionSeconds);
        }
        if (waitReplicas < 0) {
            throw new ParameterException(spec.commandLine(), "--wait-replicas must be 0 or more, got " + waitReplicas);
        }
        if (waitReplicas > 0 && writes == 0) {
            throw new ParameterException(spec.commandLine(), "--wait-replicas needs writes: it cannot be used with --writes 0");
        }
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be at least 1 second, got " + timeoutSeconds);
        }
    }

    /** The default partition length follows from the topology: it too must end within the round's bound. */
    private void requirePartitionWithinTimeout(FailoverOptions options, io.redisha.topology.Sentinels sentinels) {
        if (options.partitions() && partitionSeconds == null) {
            Duration length = options.partitionLength(sentinels.downAfterMillis(), sentinels.failoverTimeoutMillis());
            if (length.compareTo(options.timeout()) >= 0) {
                throw new ParameterException(spec.commandLine(), "--timeout " + timeoutSeconds + " is too short for the "
                        + "default partition of " + length.toSeconds() + " s (down-after-milliseconds + failover-timeout"
                        + " + 5 s): raise --timeout or set --partition-seconds");
            }
        }
    }

    private void writeHtml(FailoverReport result, java.io.PrintWriter err) {
        try {
            Path parent = report.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(report, FailoverHtml.render(result), StandardCharsets.UTF_8);
            err.println("report written to " + report);
            err.flush();
        } catch (IOException e) {
            throw new UserException(ExitCodes.ERROR, "cannot write the report " + report + ": " + e.getMessage(), e);
        }
    }
}
