package io.redisha.cli;

import io.redisha.cluster.ClusterStatus;
import io.redisha.cluster.Plan;
import io.redisha.cluster.Restore;
import io.redisha.report.PlanReport;
import io.redisha.report.StatusReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Create or repair the deployment, bring its settings to the topology (in place, or by "
                + "replacing nodes one at a time), and wait until it is ready; print its status.")
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
            description = "How long each wait may take: the deployment ready, a replaced node synced "
                    + "(default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;
    @Option(names = "--dry-run",
            description = "Print what up would create, change in place, replace and remove, in order; change nothing. "
                    + "Exit 6 when the replacements would be refused.")
    boolean dryRun;
    @Option(names = "--allow-downtime",
            description = "When the nodes cannot be replaced one at a time keeping a writable master (no replica "
                    + "to switch over to, an older or incompatible server), remove and recreate every node instead.")
    boolean allowDowntime;
    @Option(names = "--from-backup", paramLabel = "FILE",
            description = "Create a new deployment holding the data of a backup (checked first, as restore checks it; "
                    + "its manifest FILE.json is required). Refused when the project is deployed: restore FILE loads one into it.")
    Path fromBackup;

    /** The backup, checked, for a project of which nothing exists yet. */
    private Restore.CheckedFile newFromBackup(Session session) {
        if (session.cluster.exists()) {
            throw new UserException(ExitCodes.REFUSED, "--from-backup: project " + session.loaded.topology().project()
                    + " is already deployed (redisha restore " + fromBackup + " loads a backup into it); nothing was changed");
        }
        return new Restore(session.cluster).check(fromBackup, false);
    }

    @Option(names = "--keep-old-passwords",
            description = "When a password changed (auth.users, or the one password of auth.password-*), add the new one beside the old and switch "
                    + "redisha's components to it, but keep accepting the old one until up runs without this option, "
                    + "so that applications can switch first; when auth.users replaced the one password, keep the "
                    + "default user's password likewise.")
    boolean keepOldPasswords;

    @Option(names = "--rotate-ca",
            description = "Replace the CA of a TLS deployment in place, in two runs: the first makes a new CA that every "
                    + "node trusts beside the old one (clients then take the new CA file), the second gives every node a "
                    + "certificate from the new CA and stops trusting the old one.")
    boolean rotateCa;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (dryRun && fromBackup != null) {
            throw new ParameterException(spec.commandLine(), "--from-backup cannot be combined with --dry-run");
        }
        if (dryRun) {
            try (Session session = Session.open(project, err)) {
                session.cluster.rotateCa(rotateCa);
                session.cluster.keepOldPasswords(keepOldPasswords);
                Plan plan = session.cluster.plan();
                out.print(output.json() ? PlanReport.json(plan) : PlanReport.text(plan, allowDowntime));
                out.flush();
                return plan.refusal() != null && !allowDowntime ? ExitCodes.REFUSED : ExitCodes.OK;
            }
        }
        try (Session session = Session.openExclusive(project, err, "up")) {
            Restore.CheckedFile backup = fromBackup == null ? null : newFromBackup(session);
            session.cluster.keepOldPasswords(keepOldPasswords);
            session.cluster.rotateCa(rotateCa);
            ClusterStatus status = session.cluster.up(Duration.ofSeconds(timeoutSeconds), allowDowntime);
            if (backup != null) {
                Restore restore = new Restore(session.cluster);
                restore.apply(restore.plan(backup, false), Duration.ofSeconds(timeoutSeconds));
                status = session.cluster.status();
            }
            out.print(output.json() ? StatusReport.json(status) : StatusReport.text(status));
            out.flush();
            return ExitCodes.OK;
        }
    }
}
