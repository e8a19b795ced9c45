package io.redisha.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes what the release archive carries besides the jar, from the commands' picocli model: a
 * manual page for every command ({@code man/man1/}) and the shell completion script
 * ({@code completion/}), and {@code lib/version}. The build runs it (pom.xml); it is not a command of redisha.
 */
public final class ReleaseFiles {
    private ReleaseFiles() {
    }

    /** Arguments: the output directory, the version and the date the pages name. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ReleaseFiles OUTPUT-DIR VERSION DATE");
        }
        write(Path.of(args[0]), args[1], args[2]);
    }

    static void write(Path output, String version, String date) throws IOException {
        CommandLine cli = RedishaCli.describedCommandLine();
        Path man = Files.createDirectories(output.resolve("man/man1"));
        writePages(cli, man, "redisha " + version, date.length() >= 10 ? date.substring(0, 10) : date);
        Path completion = Files.createDirectories(output.resolve("completion"));
        String script = AutoComplete.bash("redisha", cli);
        // one script for both shells: in zsh it turns on zsh's bash-completion emulation itself
        Files.writeString(completion.resolve("redisha.bash"), script, StandardCharsets.UTF_8);
        Files.writeString(completion.resolve("redisha.zsh"), script, StandardCharsets.UTF_8);
        // the launcher names its start-up archive's cache directory after it
        Files.writeString(Files.createDirectories(output.resolve("lib")).resolve("version"), version + "\n",
                StandardCharsets.UTF_8);
    }

    private static void writePages(CommandLine command, Path dir, String version, String date) throws IOException {
        CommandSpec spec = command.getCommandSpec();
        Files.writeString(dir.resolve(ManPage.fileName(spec)), ManPage.render(spec, version, date), StandardCharsets.UTF_8);
        for (CommandLine sub : command.getSubcommands().values()) {
            writePages(sub, dir, version, date);
        }
    }
}
