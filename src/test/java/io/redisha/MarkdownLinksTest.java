package io.redisha;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every relative link and anchor of the repository's Markdown files leads somewhere. */
class MarkdownLinksTest {
    private static final Path PROJECT = Path.of(System.getProperty("redisha.project.dir", "."));

    @Test
    void everyRelativeLinkAndAnchorOfTheRepositoryResolves() {
        List<String> checked = MarkdownLinks.files(PROJECT).stream().map(p -> PROJECT.relativize(p).toString()).toList();
        assertTrue(checked.containsAll(List.of("README.md", "CHANGELOG.md", "CONTRIBUTING.md", "docs/commands.md",
                "docs/architecture.md", "docs/benchmarks.md")), "Markdown files found: " + checked);
        assertEquals("", String.join("\n", MarkdownLinks.problems(PROJECT)));
    }

    @Test
    void aMissingFileAMissingHeadingAndAMissingOwnHeadingAreEachReported(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("docs"));
        write(dir.resolve("README.md"), """
                # Title
                See [the guide](docs/guide.md#two-words), [gone](docs/gone.md), [no heading](docs/guide.md#three).
                [here](#title) and [not here](#nothing), ![a picture](docs/pic.png), [web](https://example.com/x#y).
                ```
                [inside a fence](nowhere.md) is code
                ```
                `[in a code span](nowhere.md)` is code too; [ref]: docs/guide.md#two-words
                [up](../outside.md)
                """);
        write(dir.resolve("docs/guide.md"), "## Two `words`\n[back](../README.md#title)\n");
        write(dir.resolve("docs/pic.png"), "");
        write(dir.resolve("target/built.md"), "[not checked](nowhere.md)\n");

        assertEquals(List.of(
                "README.md:2: docs/gone.md: no such file docs/gone.md",
                "README.md:2: docs/guide.md#three: no heading with anchor #three in docs/guide.md",
                "README.md:3: #nothing: no heading with anchor #nothing in README.md",
                "README.md:8: ../outside.md: points outside the repository"), MarkdownLinks.problems(dir));
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertEquals("redisha-connect--f-file---output-textjsonenv",
                MarkdownLinks.slug("`redisha connect [-f FILE] [--output text|json|env]`"));
        assertEquals("testing-your-application---while", MarkdownLinks.slug("Testing your application (`--while`)"));
        assertEquals("the-lab-a-3-host-swarm-on-one-machine", MarkdownLinks.slug("The lab: a 3-host Swarm on one machine"));
        assertEquals("exit-codes", MarkdownLinks.slug("Exit **codes**"));
        assertEquals("see-the-guide", MarkdownLinks.slug("See [the guide](x.md)"));
        assertEquals(Set.of("faults", "faults-1", "faults-2", "a_b"),
                MarkdownLinks.anchorsOf(List.of("# Faults", "## Faults", "```", "# not a heading", "```", "### Faults",
                        "#### a_b ##")));
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
