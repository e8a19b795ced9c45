package io.redisha.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release archive as a user gets it: unpacked into a directory of its own and run through its
 * bin/redisha from another directory, with a PATH that has Java but no Maven and no repository in
 * sight. init, doctor (also its failures), up, status, a failover round and down; the manual pages
 * render without warnings and the completion script loads in bash.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class ReleaseArchiveIT {
    private static final Path PROJECT_DIR = Path.of(System.getProperty("redisha.project.dir", "."));
    private static final String VERSION = System.getProperty("redisha.version");
    /** What the launcher may use: a shell's tools and Java, nothing of the build. */
    private static final List<String> TOOLS = List.of("bash", "env", "readlink", "dirname", "cat", "sed", "cksum", "cut",
            "mkdir", "mv", "rm", "java");

    @RegisterExtension
    final Deployment deployments = Deployment.none();

    @TempDir
    Path temp;

    private record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @Test
    void theUnpackedArchiveRunsAProjectFromAnotherDirectoryWithoutMaven() throws Exception {
        assertNotNull(VERSION, "failsafe passes the project version as redisha.version");
        Path archive = PROJECT_DIR.resolve("target/redisha-" + VERSION + ".tar.gz");
        assertTrue(Files.isRegularFile(archive), archive + " is built by mvn package");
        Path install = Files.createDirectories(temp.resolve("opt"));
        assertEquals(0, process(List.of("tar", "-xzf", archive.toString(), "-C", install.toString()), temp, Map.of()).code());
        Path home = install.resolve("redisha-" + VERSION);
        assertEquals(List.of("redisha-" + VERSION), list(install), "one top-level folder");
        assertEquals(entries(home), zipEntries(PROJECT_DIR.resolve("target/redisha-" + VERSION + ".zip")),
                "the zip holds what the tar.gz holds");
        for (String file : List.of("bin/redisha", "lib/redisha.jar", "topology.yml", "LICENSE", "CHANGELOG.md",
                "completion/redisha.bash", "completion/redisha.zsh", "man/man1/redisha.1", "man/man1/redisha-doctor.1")) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file + " in " + entries(home));
        }
        assertTrue(Files.isExecutable(home.resolve("bin/redisha")));

        Path tools = pathWithoutMaven();
        Path cache = Files.createDirectories(temp.resolve("cache"));
        Map<String, String> env = Map.of("PATH", tools.toString(), "HOME", temp.toString(), "XDG_CACHE_HOME", cache.toString());
        assertEquals(1, process(List.of("bash", "-c", "command -v mvn"), temp, env).code(), "no mvn on this PATH");

        Cli project = deployments.create("rel", "");
        Path work = project.topology().getParent();
        String image = System.getenv().getOrDefault("REDISHA_IT_IMAGE", "redis:7");
        image = image.isBlank() ? "redis:7" : image;
        Path launcher = home.resolve("bin/redisha");
        Set<String> installed = entries(home);

        Run version = run(launcher, work, env, "--version");
        assertEquals(0, version.code(), version::toString);
        assertTrue(version.out().startsWith("redisha " + VERSION + "\ncommit "), version::toString);

        Run refused = run(launcher, work, env, "init", "--project", project.project());
        assertEquals(6, refused.code(), refused::toString);
        Run init = run(launcher, work, env, "init", "--project", project.project(), "--replicas", "1", "--image", image, "--force");
        assertEquals(0, init.code(), init::toString);
        // a quick failover: the master is judged down after one second
        Path topology = work.resolve("topology.yml");
        Files.writeString(topology, Files.readString(topology).replace("down-after-milliseconds: 5000", "down-after-milliseconds: 1000"));

        Run doctor = run(launcher, work, env, "doctor");
        assertEquals(0, doctor.code(), doctor::toString);
        assertTrue(doctor.out().contains("ok       topology  topology.yml: project " + project.project() + ", 1 master, 1 replica, 3 Sentinels"),
                doctor::toString);
        doctorFailures(launcher, work, env);

        Run up = run(launcher, work, env, "up");
        assertEquals(0, up.code(), up::toString);
        Probe.assertReady(project.project(), 1, 3);
        Run status = run(launcher, work, env, "status");
        assertEquals(0, status.code(), status::toString);
        assertTrue(status.out().contains(project.project() + "-master-1"), status::toString);
        try (Stream<Path> archives = Files.walk(cache)) {
            assertEquals(1, archives.filter(p -> p.toString().endsWith(".jsa")).count(),
                    "the start-up archive is recorded in the user's cache, under redisha/" + VERSION);
        }
        assertTrue(Files.isDirectory(cache.resolve("redisha/" + VERSION)));

        Run failover = run(launcher, work, env, "failover-test", "--rounds", "1");
        assertEquals(0, failover.code(), failover::toString);

        Run down = run(launcher, work, env, "down");
        assertEquals(0, down.code(), down::toString);
        assertEquals(List.of(), Engine.containers(project.project()));
        assertEquals(installed, entries(home), "nothing is written into the installation");
    }

    /** Each failure doctor detects, each with its exit code, on the real engine and files. */
    private void doctorFailures(Path launcher, Path work, Map<String, String> env) throws Exception {
        Map<String, String> noEngine = new HashMap<>(env);
        noEngine.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
        Run missing = run(launcher, work, noEngine, "doctor");
        assertEquals(21, missing.code(), missing::toString);
        assertTrue(missing.out().contains("FAIL     engine    no Docker engine socket at " + temp.resolve("no-engine.sock")), missing::toString);

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = work.resolve("port.yml");
            Files.writeString(file, Files.readString(work.resolve("topology.yml"))
                    .replace("  host-port: ~", "  host-port: " + taken.getLocalPort()));
            Run port = run(launcher, work, env, "doctor", "-f", "port.yml", "--output", "json");
            assertEquals(28, port.code(), port::toString);
            assertTrue(port.out().contains("\"detail\" : \"master.host-port: port " + taken.getLocalPort() + " on 127.0.0.1 is in use\""),
                    port::toString);
        }

        Files.writeString(work.resolve("bad.yml"), "sentinels: {count: 3, quorum: 4}\n");
        Run bad = run(launcher, work, env, "doctor", "-f", "bad.yml");
        assertEquals(29, bad.code(), bad::toString);
        assertTrue(bad.out().contains("FAIL     topology  bad.yml: sentinels.quorum (line 1): 4 is more than the 3 sentinels"), bad::toString);
    }

    @Test
    void everyManualPageRendersWithoutWarningsAndTheCompletionLoadsInBash() throws Exception {
        assertNotNull(VERSION, "failsafe passes the project version as redisha.version");
        Path install = Files.createDirectories(temp.resolve("opt"));
        Path archive = PROJECT_DIR.resolve("target/redisha-" + VERSION + ".tar.gz");
        assertEquals(0, process(List.of("tar", "-xzf", archive.toString(), "-C", install.toString()), temp, Map.of()).code());
        Path home = install.resolve("redisha-" + VERSION);
        List<String> pages = list(home.resolve("man/man1"));
        assertEquals(List.of("redisha-cli.1", "redisha-connect.1", "redisha-doctor.1", "redisha-down.1", "redisha-failover-test.1",
                "redisha-generate-completion.1", "redisha-help.1", "redisha-init.1", "redisha-logs.1", "redisha-scale.1",
                "redisha-status.1", "redisha-up.1", "redisha.1").stream().filter(p -> !pages.contains(p)).toList(), List.of(),
                "a page for every command: " + pages);
        for (String page : pages) {
            Run groff = process(List.of("groff", "-man", "-ww", "-z", home.resolve("man/man1").resolve(page).toString()), temp, Map.of());
            assertEquals(0, groff.code(), () -> page + ": " + groff);
            assertEquals("", groff.err(), () -> page + " renders with warnings: " + groff);
        }
        Run rendered = process(List.of("groff", "-man", "-Tutf8", home.resolve("man/man1/redisha-doctor.1").toString()), temp, Map.of());
        assertTrue(rendered.out().replaceAll(".\b", "").contains("EXIT STATUS"), rendered::toString);

        Run bash = process(List.of("bash", "-c", "source \"$1\" && complete -p redisha", "bash",
                home.resolve("completion/redisha.bash").toString()), temp, Map.of());
        assertEquals(0, bash.code(), bash::toString);
        assertEquals("", bash.err(), bash::toString);
        assertTrue(bash.out().contains("-F _complete_redisha redisha"), bash::toString);
    }

    /** A PATH directory with the launcher's tools and Java, and no Maven. */
    private Path pathWithoutMaven() throws Exception {
        Path tools = Files.createDirectories(temp.resolve("tools"));
        for (String tool : TOOLS) {
            Run found = process(List.of("bash", "-c", "command -v " + tool), temp, Map.of());
            assertEquals(0, found.code(), () -> tool + " is needed by the launcher: " + found);
            Files.createSymbolicLink(tools.resolve(tool), Path.of(found.out().strip()));
        }
        return tools;
    }

    private Run run(Path launcher, Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Transcript.line("$ bin/redisha " + String.join(" ", args));
        Run r = process(command, dir, env);
        Transcript.line(r.err().stripTrailing());
        Transcript.ended(r.code());
        return r;
    }

    /** Runs a program; with env not empty, in exactly that environment (no JAVA_HOME, no MAVEN_HOME). */
    private static Run process(List<String> command, Path dir, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        if (!env.isEmpty()) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Path out = Files.createTempFile("release-it", ".out");
        Path err = Files.createTempFile("release-it", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(150, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not end within 150 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Set<String> entries(Path home) throws IOException {
        try (Stream<Path> files = Files.walk(home)) {
            return files.filter(Files::isRegularFile).map(p -> home.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> zipEntries(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Set<String> names = z.stream().filter(e -> !e.isDirectory()).map(e -> e.getName())
                    .collect(Collectors.toCollection(TreeSet::new));
            names.forEach(n -> assertTrue(n.startsWith("redisha-" + VERSION + "/"), n));
            return names.stream().map(n -> n.substring(("redisha-" + VERSION + "/").length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
