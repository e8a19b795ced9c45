package io.redisha.cli;

import io.redisha.cluster.ClusterStatus;
import io.redisha.report.StatusReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Create or repair the deployment and wait until it is ready; print its status.")
public class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    OutputOption output;
    @Mixin
    LoggingMixin logging;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for the deployment to be ready (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (Session session = Session.openExclusive(project, err, "up")) {
            ClusterStatus status = session.cluster.up(Duration.ofSeconds(timeoutSeconds));
            out.print(output.json() ? StatusReport.json(status) : StatusReport.text(status));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
