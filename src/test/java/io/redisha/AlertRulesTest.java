package io.redisha;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The alert rules docs/metrics.md offers are valid Prometheus rules, and each fires on what it is about and
 * stays quiet on a healthy deployment (their promtool unit tests). A missing promtool fails, never skips.
 */
class AlertRulesTest {
    private static final Path DIR = Path.of("docs/prometheus");

    @Test
    void theRulesAreValid() throws Exception {
        String out = promtool("check", "rules", "redisha-alerts.yml");
        assertTrue(out.contains("SUCCESS: 6 rules found"), out);
    }

    @Test
    void eachAlertFiresOnWhatItIsAboutAndOnlyThen() throws Exception {
        promtool("test", "rules", "redisha-alerts.test.yml");
    }

    private static String promtool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(promtoolPath()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool ends");
        assertEquals(0, p.exitValue(), "promtool " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    private static String promtoolPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(p)) {
                return p.toAbsolutePath().toString();
            }
        }
        return fail("promtool is not installed (not on PATH): it is in Debian's prometheus package, or"
                + " prometheus.io's release archive (scripts/setup installs it)");
    }
}
