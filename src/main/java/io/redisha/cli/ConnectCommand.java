package io.redisha.cli;

import io.redisha.cluster.ClientAccess;
import io.redisha.cluster.MetricsTargets;
import io.redisha.report.ConnectReport;
import io.redisha.report.MetricsReport;
import io.redisha.topology.PasswordSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "connect", mixinStandardHelpOptions = true,
        description = {"Print what an application outside Docker needs to reach the deployment through Sentinel: "
                + "the Sentinel addresses it can dial, the master name, and the translation from the addresses "
                + "Sentinel hands out to addresses it can dial; where the passwords are (never the passwords).",
                "--output env prints REDISHA_SENTINELS, REDISHA_MASTER_NAME, REDISHA_ADDRESS_MAP... as KEY=value "
                        + "lines. --output prometheus prints the exporters of metrics.enabled as a Prometheus "
                        + "file_sd target list (JSON). Exit 5 when no Sentinel is running (prometheus: no exporter)."})
public class ConnectCommand implements Callable<Integer> {
    enum Format { text, json, env, prometheus }

    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    LoggingMixin logging;
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Session session = Session.open(project, spec.commandLine().getErr())) {
            session.requireDeployed();
            out.print(switch (format) {
                case json -> ConnectReport.json(access(session));
                case env -> ConnectReport.env(access(session));
                case text -> ConnectReport.text(access(session));
                case prometheus -> MetricsReport.fileSd(targets(session));
            });
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static ClientAccess access(Session session) {
        ClientAccess access = ClientAccess.of(session.cluster.refresh(), session.loaded.topology(),
                PasswordSources.of(session.loaded), session.cluster.tls());
        if (access.sentinels().isEmpty()) {
            throw new UserException(ExitCodes.NOT_READY, "no Sentinel of project " + access.project()
                    + " is running (redisha up starts them)");
        }
        return access;
    }

    private static MetricsTargets targets(Session session) {
        MetricsTargets targets = MetricsTargets.of(session.loaded.topology().project(), session.cluster.backend(),
                session.cluster.refresh().nodes());
        if (targets.targets().isEmpty()) {
            throw new UserException(ExitCodes.NOT_READY, "no exporter of project " + targets.project()
                    + " is running (metrics.enabled: true in the topology, then redisha up)");
        }
        return targets;
    }

}
