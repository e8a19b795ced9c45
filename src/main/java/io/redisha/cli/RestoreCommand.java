package io.redisha.cli;

import io.redisha.cluster.Restore;
import io.redisha.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Load a backup into the running deployment: checked first (manifest, size, SHA-256, the server's "
                + "own check, the RDB format); loaded on the master; the replicas copy it; ready at the end, every node "
                + "holding the backup's keys.")
public class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    OutputOption output;
    @Mixin
    LoggingMixin logging;
    @Parameters(paramLabel = "FILE", description = "The backup (its manifest is FILE.json).")
    Path file;
    @Option(names = "--force", description = "Replace the data of a deployment that holds keys.")
    boolean force;
    @Option(names = "--dry-run", description = "Check the file and print what would be replaced; change nothing.")
    boolean dryRun;
    @Option(names = "--no-manifest", description = "Restore a file that has no manifest (no size or SHA-256 to check).")
    boolean noManifest;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Longest wait for the master to load the file and for the deployment to be ready (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (Session session = dryRun ? Session.open(project, err) : Session.openExclusive(project, err, "restore")) {
            session.requireDeployed();
            Restore restore = new Restore(session.cluster);
            Restore.Plan plan = restore.plan(file, force || dryRun, noManifest);
            if (dryRun) {
                if (output.json()) {
                    out.print(Json.write(plan));
                } else {
                    describe(out, plan);
                    out.println("nothing was changed (--dry-run)");
                }
                out.flush();
                return ExitCodes.OK;
            }
            Restore.Done done = restore.apply(plan, Duration.ofSeconds(timeoutSeconds));
            if (output.json()) {
                out.print(Json.write(done));
            } else {
                out.printf("restored %s into %s: %d keys on %s", file, session.loaded.topology().project(),
                        done.keys().values().stream().mapToLong(Long::longValue).sum(), plan.master());
                done.replicas().forEach((name, keys) -> out.printf(", %d on %s", keys, name));
                out.printf(" (%.1f s); ready%n", done.seconds());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static void describe(PrintWriter out, Restore.Plan plan) {
        out.printf("%s: %d keys (%d with a time to live), RDB format %d%s%n", plan.file(), plan.fileKeys(),
                plan.fileExpires(), plan.rdbFormat(), plan.manifest() == null ? ", no manifest"
                        : ", taken " + plan.manifest().time() + " on " + plan.manifest().source() + " of "
                        + plan.manifest().project());
        long held = plan.keysNow().values().stream().mapToLong(Long::longValue).sum();
        out.printf("would replace the %d keys of %s %s, then %s copy them%n", held, plan.master(),
                plan.keysNow().isEmpty() ? "" : plan.keysNow().toString(),
                plan.replicas().isEmpty() ? "no replica would" : String.join(", ", plan.replicas()) + " would");
    }
}
