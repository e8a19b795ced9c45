package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.it.apps.Apps;
import io.redisha.it.apps.CarefulApp;
import io.redisha.it.apps.CarelessApp;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * failover-test --while with real applications (src/test/java/io/redisha/it/apps), each a JVM of its
 * own: one that follows Sentinel passes the round, one that keeps writing to the old master fails it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class FailoverWhileIT {
    private static final String CHECK = "application survived the failover";

    @RegisterExtension
    static final Deployment deployment = Deployment.of("it-while", "").up();

    private static JsonNode check(JsonNode round, String name) {
        for (JsonNode c : round.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check '" + name + "' in " + round);
    }

    @Test
    @Order(1)
    void anApplicationThatFollowsSentinelPassesAndTheReportsShowItsOutput(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("failover.html");
        Cli.Result result = deployment.run("failover-test", "--writes", "0", "--while", Apps.command(CarefulApp.class),
                "--output", "json", "--report", html.toString());
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode round = new ObjectMapper().readTree(result.out()).get("rounds").get(0);
        assertEquals("PASS", round.get("outcome").asText(), round::toString);
        JsonNode check = check(round, CHECK);
        assertEquals("PASS", check.get("status").asText(), check::toString);

        JsonNode app = round.get("application");
        assertNotNull(app, round::toString);
        assertEquals(0, app.get("exitStatus").asInt(), app::toString);
        assertTrue(app.get("startedAtMs").asLong() < 0, "started before the fault: " + app);
        assertTrue(app.get("inputClosedAtMs").asLong() >= phase(round, "ready"), "stopped once ready again: " + app);
        List<String> output = new ArrayList<>();
        app.get("output").forEach(l -> output.add(l.get("text").asText()));
        assertTrue(output.stream().anyMatch(l -> l.startsWith("careful: writing through Sentinel")), output::toString);
        String verdict = output.stream().filter(l -> l.startsWith("careful: read back")).findFirst()
                .orElseThrow(() -> new AssertionError("no verdict in " + output));
        assertTrue(verdict.endsWith(", lost 0"), verdict);

        String page = Files.readString(html);
        assertTrue(page.contains("careful: read back"), "the HTML report shows the application's output");
        assertTrue(page.contains(CHECK));
        Probe.assertReady(deployment.project(), 2, 3);
    }

    @Test
    @Order(2)
    void anApplicationThatKeepsWritingToTheOldMasterFailsTheRound() throws Exception {
        Cli.Result up = deployment.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Cli.Result result = deployment.run("failover-test", "--writes", "0", "--while", Apps.command(CarelessApp.class));
        assertEquals(8, result.exitCode(), result::toString);
        String out = result.out();
        assertTrue(out.contains("FAIL  " + CHECK + ": exited with status 1 at "), result::toString);
        assertTrue(out.contains("RESULT: FAIL: a check failed"), result::toString);
        // the text report shows the application's own words: how many of its writes it lost
        Matcher lost = Pattern.compile("\\| +[0-9.]+  careless: round over; .* LOST ([0-9]+)").matcher(out);
        assertTrue(lost.find(), result::toString);
        assertTrue(Integer.parseInt(lost.group(1)) > 0, result::toString);
        for (String check : List.of("failover", "new master", "old master rejoined", "ready")) {
            assertTrue(out.contains("PASS  " + check + ": "), "Redis itself failed over: " + result);
        }
    }

    private static long phase(JsonNode round, String key) {
        for (JsonNode p : round.get("phases")) {
            if (p.get("key").asText().equals(key)) {
                return p.get("atMs").asLong();
            }
        }
        throw new AssertionError("no phase " + key);
    }
}
