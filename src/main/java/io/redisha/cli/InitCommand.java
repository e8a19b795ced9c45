package io.redisha.cli;

import io.redisha.topology.TopologyException;
import io.redisha.topology.TopologyTemplate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a commented topology file to start from: every key with its default and what it means, "
                + "with the values given here. It refuses to overwrite an existing file unless --force.")
public class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    LoggingMixin logging;
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "topology.yml",
            description = "The file to write (default: ${DEFAULT-VALUE}).")
    Path file;
    @Option(names = "--project", paramLabel = "NAME", description = "Project name, the prefix of every container (default: redisha).")
    String project;
    @Option(names = "--image", paramLabel = "IMAGE", description = "Redis or Valkey image, never pulled (default: redis:7).")
    String image;
    @Option(names = "--replicas", paramLabel = "N", description = "Number of replicas (default: 2).")
    Integer replicas;
    @Option(names = "--sentinels", paramLabel = "N",
            description = "Number of Sentinels (default: 3); the quorum becomes their majority (2 of 3, 3 of 5).")
    Integer sentinels;
    @Option(names = "--swarm", description = "Deploy on a Docker Swarm (platform: swarm) instead of one engine.")
    boolean swarm;
    @Option(names = "--force", description = "Overwrite the file when it exists.")
    boolean force;

    @Override
    public Integer call() {
        for (var count : new Object[][]{{"--replicas", replicas}, {"--sentinels", sentinels}}) {
            if (count[1] != null && (Integer) count[1] < 0) {
                throw new ParameterException(spec.commandLine(), count[0] + " must be 0 or more, got " + count[1]);
            }
        }
        String text;
        try {
            text = TopologyTemplate.render(new TopologyTemplate.Choices(project, image, replicas, sentinels, swarm),
                    file.toString());
        } catch (TopologyException e) {
            throw new UserException(ExitCodes.INVALID_TOPOLOGY, e.getMessage() + " (nothing written)", e);
        }
        if (Files.exists(file) && !force) {
            throw new UserException(ExitCodes.REFUSED, file + " exists; init --force overwrites it (nothing written)");
        }
        write(text);
        var out = spec.commandLine().getOut();
        out.println("wrote " + file + "; edit it, then: redisha doctor, redisha up");
        out.flush();
        return ExitCodes.OK;
    }

    /** Written aside and renamed, so that a reader never sees half a file. */
    private void write(String text) {
        try {
            Path target = file.toAbsolutePath();
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the temporary file's permissions will do
                }
                if (force) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    // no replacing: a file created meanwhile is kept
                    Files.move(temp, target);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new UserException(ExitCodes.REFUSED, file + " exists; init --force overwrites it (nothing written)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
