package io.redisha.backend;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * shellcheck over every shell program of the project: the scripts redisha runs in its nodes (the
 * {@code .sh} resources, POSIX sh) and the project's own {@code scripts/} (bash, or sh by their
 * first line). Every finding fails, notes included; a deliberate exception is disabled inline with why.
 */
class ShellcheckTest {
    @Test
    void theNodesScriptsPassShellcheckAsPosixSh() throws Exception {
        List<Path> scripts;
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources"))) {
            scripts = files.filter(p -> p.toString().endsWith(".sh")).sorted().toList();
        }
        assertTrue(scripts.size() >= 2, "the start and task scripts are found: " + scripts);
        check(scripts, "--shell=sh");
    }

    @Test
    void theProjectsScriptsPassShellcheck() throws Exception {
        List<Path> scripts = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("scripts"))) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                if (firstLine(p).startsWith("#!")) {
                    scripts.add(p);
                }
            }
        }
        assertTrue(scripts.contains(Path.of("scripts/setup")) && scripts.contains(Path.of("scripts/test")), scripts.toString());
        check(scripts);
    }

    @Test
    void theReleaseArchivesLauncherPassesShellcheck() throws Exception {
        check(List.of(Path.of("src/release/bin/redisha")));
    }

    private static String firstLine(Path p) throws IOException {
        try (var lines = Files.lines(p, StandardCharsets.ISO_8859_1)) {
            return lines.findFirst().orElse("");
        }
    }

    private static void check(List<Path> scripts, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(ShellTools.required("shellcheck"), "--format=gcc"));
        command.addAll(List.of(options));
        scripts.forEach(p -> command.add(p.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "shellcheck ends");
        assertEquals(0, p.exitValue(), "shellcheck reports:\n" + out);
    }
}
