package io.redisha.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manual pages and completion scripts the release archive carries, written from the commands' model. */
class ManPageTest {
    @Test
    void textIsEscapedSoThatManPrintsItAsWritten() {
        assertEquals("\\-\\-file and a back\\eslash", ManPage.escape("--file and a back\\slash"));
        assertEquals("\\&.not a request\n\\&'nor this", ManPage.escape(".not a request\n'nor this"));
    }

    @Test
    void aCommandsPageHasItsSynopsisEveryVisibleOptionAndTheExitCodes() {
        CommandLine init = RedishaCli.describedCommandLine().getSubcommands().get("init");
        String page = ManPage.render(init.getCommandSpec(), "redisha 1.2.3", "2026-12-07");
        assertTrue(page.startsWith(".TH \"REDISHA-INIT\" 1 \"2026-12-07\" \"redisha 1.2.3\" \"redisha manual\"\n.SH NAME\nredisha\\-init \\- "), page);
        assertTrue(page.contains(".SH SYNOPSIS\n.nf\nredisha init [\\-hVv] [\\-\\-force] [\\-\\-swarm]"), page);
        assertTrue(page.contains(".TP\n\\fB\\-f\\fR, \\fB\\-\\-file\\fR \\fIFILE\\fR\nThe file to write (default: topology.yml).\n"), page);
        assertTrue(page.contains(".TP\n\\fB\\-\\-force\\fR\nOverwrite the file when it exists.\n"), page);
        for (ExitCodes.Meaning m : ExitCodes.ALL) {
            assertTrue(page.contains(".TP\n\\fB" + m.code() + "\\fR\n"), () -> "exit code " + m.code() + " in\n" + page);
        }
        assertTrue(!page.contains("stacktrace"), "hidden options stay hidden");
    }

    @Test
    void theArchiveGetsAPageForEveryCommandTheCompletionScriptAndTheVersion(@TempDir Path dir) throws Exception {
        ReleaseFiles.write(dir, "1.2.3", "2026-12-07T08:00:00Z");
        Set<String> expected = RedishaCli.commandLine(new RedishaCli()).getSubcommands().keySet().stream()
                .map(c -> "redisha-" + c + ".1").collect(Collectors.toCollection(TreeSet::new));
        expected.add("redisha.1");
        try (Stream<Path> pages = Files.list(dir.resolve("man/man1"))) {
            assertEquals(expected, pages.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
        }
        String bash = Files.readString(dir.resolve("completion/redisha.bash"));
        assertTrue(bash.contains("complete -F _complete_redisha") || bash.contains("-F _complete_redisha redisha"), bash);
        assertTrue(bash.contains("doctor") && bash.contains("init"), "the completion knows every command");
        assertEquals(bash, Files.readString(dir.resolve("completion/redisha.zsh")));
        assertEquals("1.2.3\n", Files.readString(dir.resolve("lib/version")));
    }
}
