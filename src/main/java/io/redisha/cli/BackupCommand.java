package io.redisha.cli;

import io.redisha.cluster.BackupManifest;
import io.redisha.cluster.Backups;
import io.redisha.report.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Take a snapshot on a healthy replica (BGSAVE; the master never forks), copy it out, check it "
                + "(SHA-256 and the server's own redis-check-rdb/valkey-check-rdb) and write it atomically beside its "
                + "manifest (FILE.json).")
public class BackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    OutputOption output;
    @Mixin
    LoggingMixin logging;
    @Option(names = "--to", paramLabel = "DIR|FILE", defaultValue = ".",
            description = "A directory (the file is named PROJECT-yyyyMMddTHHmmssZ.rdb) or a file (default: the current directory).")
    String to;
    @Option(names = "--require-replica",
            description = "Refuse (exit 6) when no replica is healthy, rather than take the snapshot on the master.")
    boolean requireReplica;
    @Option(names = "--keep", paramLabel = "N",
            description = "Then delete all but the N newest backups of this project in the directory (only files "
                    + "redisha wrote for this project).")
    Integer keep;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Longest wait for the snapshot (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (keep != null && keep < 1) {
            throw new ParameterException(spec.commandLine(), "--keep: " + keep + " is less than 1");
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (Session session = Session.openExclusive(project, err, "backup")) {
            session.requireDeployed();
            Backups.Taken taken = new Backups(session.cluster).take(to, requireReplica, keep,
                    Duration.ofSeconds(timeoutSeconds));
            BackupManifest m = taken.manifest();
            if (output.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("file", taken.file().toString());
                json.put("manifestFile", taken.manifestFile().toString());
                json.put("manifest", m);
                json.put("warning", taken.warning());
                json.put("removed", taken.removed().stream().map(Path::toString).toList());
                out.print(Json.write(json));
            } else {
                out.printf("backup %s: %d bytes, %d keys, RDB format %d, %s %s, from %s (%s)%n", taken.file(), m.size(),
                        m.keys(), m.rdbFormat(), m.server(), m.serverVersion(), m.source(), m.sourceRole());
                out.printf("verified: SHA-256 %s and %s-check-rdb of %s%n", m.sha256(), m.server(), m.image());
                out.printf("manifest %s%n", taken.manifestFile());
                taken.removed().forEach(p -> out.printf("removed older backup %s%n", p));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
