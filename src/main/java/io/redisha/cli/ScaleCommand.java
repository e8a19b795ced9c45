package io.redisha.cli;

import io.redisha.cluster.ClusterStatus;
import io.redisha.cluster.Progress;
import io.redisha.cluster.Scaler;
import io.redisha.report.StatusReport;
import io.redisha.topology.LoadedTopology;
import io.redisha.topology.Topology;
import io.redisha.topology.TopologyFileEditor;
import io.redisha.topology.TopologyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "scale", mixinStandardHelpOptions = true, description = {
        "Change the number of Sentinels and replicas of a deployed project, both ways, and wait until it is ready.",
        "Removed Sentinels and replicas are forgotten by the survivors (SENTINEL RESET, one Sentinel at a time); "
                + "the current master is never removed. The new counts are written to the topology file."})
public class ScaleCommand implements Callable<Integer> {
    private static final String CREATED_HEADER = "# Created by `redisha scale`, which keeps the Sentinel and replica counts here.\n"
            + "# Every key not set keeps its default (see docs/topology.md).\n";

    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    OutputOption output;
    @Mixin
    LoggingMixin logging;
    @Parameters(arity = "1..*", paramLabel = "SERVICE=N",
            description = "sentinel=N, replica=N (slave=N is a synonym); several at once, e.g. sentinel=5 slave=3.")
    List<String> arguments;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long to wait for the deployment to be ready (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        ScaleArguments.Counts counts;
        try {
            counts = ScaleArguments.parse(arguments);
        } catch (ScaleArguments.Malformed e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        LoadedTopology loaded = project.load();
        try {
            Topology target = Scaler.target(loaded.topology(), counts.replicas(), counts.sentinels());
            try (Session session = Session.openExclusive(new LoadedTopology(target, List.of(), loaded.file()), err, "scale")) {
                Scaler scaler = new Scaler(session.cluster);
                scaler.checkPreconditions(loaded.topology());
                TopologyLoader.warnings(target).forEach(w -> err.println("warning: " + w));
                err.flush();
                saveCounts(loaded.file(), counts, target, session.cluster.progress());
                ClusterStatus status = scaler.scale(Duration.ofSeconds(timeoutSeconds));
                out.print(output.json() ? StatusReport.json(status) : StatusReport.text(status));
                out.flush();
                return ExitCodes.OK;
            }
        } catch (Scaler.RefusedException e) {
            throw new UserException(ExitCodes.REFUSED, e.getMessage() + "; nothing changed", e);
        }
    }

    /** Before converging, so that `up` keeps the new counts and finishes a scale that was interrupted. */
    private static void saveCounts(Path file, ScaleArguments.Counts counts, Topology target, Progress progress) {
        Path where = file != null ? file : ProjectOptions.DEFAULT_FILE;
        try {
            if (file != null) {
                TopologyFileEditor.writeCounts(file, counts.replicas(), counts.sentinels());
                progress.step("wrote the new counts to " + file);
                return;
            }
            // running on the built-in defaults: the counts need a file to live in
            Files.writeString(where, CREATED_HEADER + "project: " + target.project() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                TopologyFileEditor.writeCounts(where, target.replicas().count(), target.sentinels().count());
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(where);
                throw e;
            }
            progress.step("created " + where.toAbsolutePath() + " with project " + target.project() + " and the new counts;"
                    + " later commands in this directory read it");
        } catch (IOException e) {
            throw new UserException(ExitCodes.REFUSED, "cannot write the new counts to " + where + ": " + e.getMessage()
                    + "; nothing changed", e);
        }
    }
}
