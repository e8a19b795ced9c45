package io.redisha.cli;

import io.redisha.topology.LoadedTopology;
import io.redisha.topology.TopologyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** redisha init: the commented file, the choices written into it, and what it refuses. No engine needed. */
class InitCommandTest {
    private static final Path REPOSITORY_TOPOLOGY = Path.of(System.getProperty("redisha.project.dir", "."), "topology.yml");

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RedishaCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void withoutChoicesItWritesTheDocumentedDefaultFileAsIs() throws Exception {
        Path file = dir.resolve("topology.yml");
        Result r = run("init", "-f", file.toString());
        assertEquals(0, r.code(), r::toString);
        assertEquals(Files.readString(REPOSITORY_TOPOLOGY), Files.readString(file));
        assertEquals("wrote " + file + "; edit it, then: redisha doctor, redisha up", r.out().strip());
    }

    @Test
    void theChoicesAreWrittenInPlaceKeepingEveryCommentAndTheResultLoadsAsUpLoadsIt() throws Exception {
        Path file = dir.resolve("shop.yml");
        Result r = run("init", "-f", file.toString(), "--project", "shop", "--image", "valkey/valkey:8",
                "--replicas", "1", "--sentinels", "5", "--swarm");
        assertEquals(0, r.code(), r::toString);
        LoadedTopology loaded = TopologyLoader.load(file);
        assertEquals("shop", loaded.topology().project());
        assertEquals("valkey/valkey:8", loaded.topology().image());
        assertEquals(1, loaded.topology().replicas().count());
        assertEquals(5, loaded.topology().sentinels().count());
        assertEquals(3, loaded.topology().sentinels().quorum(), "a majority of 5");
        assertTrue(loaded.topology().platform().isSwarm());
        String written = Files.readString(file);
        String original = Files.readString(REPOSITORY_TOPOLOGY);
        for (String line : original.lines().filter(l -> l.strip().startsWith("#")).toList()) {
            assertTrue(written.contains(line + "\n"), () -> "comment lost: " + line);
        }
        assertTrue(written.startsWith("# Written by redisha init; set from its command line: project, image, platform, "
                + "replicas.count, sentinels.count, sentinels.quorum.\n"), written);
    }

    @Test
    void anImageNameThatNeedsQuotingIsQuotedAndStillValidated() throws Exception {
        Path file = dir.resolve("topology.yml");
        Result r = run("init", "-f", file.toString(), "--image", "registry.local:5000/redis:7.4@sha256:" + "a".repeat(64));
        assertEquals(0, r.code(), r::toString);
        assertEquals("registry.local:5000/redis:7.4@sha256:" + "a".repeat(64), TopologyLoader.load(file).topology().image());
    }

    @Test
    void anExistingFileIsKeptWithoutForceAndReplacedWithIt() throws Exception {
        Path file = dir.resolve("topology.yml");
        Files.writeString(file, "project: mine\n");
        Result refused = run("init", "-f", file.toString(), "--replicas", "1");
        assertEquals(ExitCodes.REFUSED, refused.code(), refused::toString);
        assertEquals("error: " + file + " exists; init --force overwrites it (nothing written)", refused.err().strip());
        assertEquals("project: mine\n", Files.readString(file));

        Result forced = run("init", "-f", file.toString(), "--replicas", "1", "--force");
        assertEquals(0, forced.code(), forced::toString);
        assertEquals(1, TopologyLoader.load(file).topology().replicas().count());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left beside it");
        }
    }

    @Test
    void anInvalidChoiceNamesItsKeyAndWritesNothing() {
        Path file = dir.resolve("topology.yml");
        Result image = run("init", "-f", file.toString(), "--image", "Not An Image", "--project", "-x");
        assertEquals(ExitCodes.INVALID_TOPOLOGY, image.code(), image::toString);
        assertTrue(image.err().contains("project (line 10): \"-x\" is not a valid project name"), image::toString);
        assertTrue(image.err().contains("image (line 13): \"Not An Image\" is not a valid Docker image reference"), image::toString);
        assertTrue(image.err().strip().endsWith("(nothing written)"), image::toString);
        assertFalse(Files.exists(file));

        Result negative = run("init", "-f", file.toString(), "--replicas", "-1");
        assertEquals(ExitCodes.USAGE, negative.code(), negative::toString);
        assertTrue(negative.err().startsWith("--replicas must be 0 or more, got -1"), negative::toString);
        assertFalse(Files.exists(file));
    }

    @Test
    void onSwarmTheFileSaysSoAndOnOneEngineItDoesNot() throws Exception {
        Path file = dir.resolve("topology.yml");
        assertEquals(0, run("init", "-f", file.toString()).code());
        assertFalse(TopologyLoader.load(file).topology().platform().isSwarm());
        assertTrue(Files.readString(file, StandardCharsets.UTF_8).contains("\nplatform: docker\n"));
    }
}
