package io.redisha.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conventions a user expects of any CLI: help, version, completion. No Docker engine needed. */
class RedishaCliTest {
    private static final Set<String> COMMANDS = Set.of("up", "scale", "status", "down", "failover-test", "logs", "cli", "connect");

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RedishaCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Every registered subcommand, so that a new one is held to the same conventions. */
    private static Set<String> subcommands() {
        Set<String> names = RedishaCli.commandLine(new RedishaCli()).getSubcommands().keySet();
        assertTrue(names.containsAll(COMMANDS), names::toString);
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void everySubcommandPrintsItsUsageForHelpAndExitsZero(String flag) {
        for (String command : subcommands()) {
            Result r = run(command, flag);
            assertEquals(0, r.code(), () -> command + " " + flag + ": " + r);
            assertTrue(r.out().contains("Usage: redisha " + command), () -> command + " " + flag + ": " + r);
            assertEquals("", r.err(), () -> command + " " + flag + ": " + r);
        }
    }

    @Test
    void theRootAndEveryCommandListTheExitCodes() {
        assertTrue(run("--help").out().contains("Exit codes:\n   0   success\n"), run("--help")::toString);
        for (String command : COMMANDS) {
            String help = run(command, "--help").out();
            for (ExitCodes.Meaning m : ExitCodes.ALL) {
                assertTrue(help.contains(String.format("%n  %2d   ", m.code())), () -> command + " lacks exit code " + m + ":\n" + help);
            }
        }
    }

    @Test
    void versionPrintsTheProjectVersionTheCommitAndTheBuildDate() {
        String version = System.getProperty("redisha.version");
        assertNotNull(version, "surefire passes the project version as the system property redisha.version");
        for (String[] args : new String[][]{{"--version"}, {"-V"}, {"up", "--version"}, {"failover-test", "-V"}}) {
            Result r = run(args);
            assertEquals(0, r.code(), r::toString);
            String[] lines = r.out().strip().split("\\R");
            assertEquals("redisha " + version, lines[0], r::toString);
            assertEquals(2, lines.length, r::toString);
            // this checkout is a git repository: a commit, and the date of the build in UTC
            assertTrue(lines[1].matches("commit [0-9a-f]{7,40}, built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), r::toString);
        }
    }

    @Test
    void generateCompletionPrintsABashScriptForEveryCommand(@TempDir Path dir) throws Exception {
        Result r = run("generate-completion");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("complete -F _complete_redisha"), r::toString);
        for (String command : subcommands()) {
            assertTrue(r.out().contains(command), () -> "the script does not mention " + command);
        }
        Path script = dir.resolve("redisha-completion.bash");
        Files.writeString(script, r.out(), StandardCharsets.UTF_8);
        Process bash = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "bash -n did not finish");
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.exitValue(), () -> "bash -n rejects the script: " + output);
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Result r = run("up", "--no-such-option");
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("Unknown option: '--no-such-option'"), r::toString);
    }
}
