package io.redisha.cli;

import io.redisha.cluster.ClusterStatus;
import io.redisha.report.StatusReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show every node by actual role, and the Sentinels' view. "
        + "Exit 0 when ready, 5 when not, 6 when nothing is deployed.")
public class StatusCommand implements Callable<Integer> {
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
            out.print(output.json() ? StatusReport.json(status) : StatusReport.text(status));
            out.flush();
            return status.ready() ? ExitCodes.OK : ExitCodes.NOT_READY;
        }
    }
}
