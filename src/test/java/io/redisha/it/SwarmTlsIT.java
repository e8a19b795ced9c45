package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the 3-host Swarm lab: up is ready with every Redis server and Sentinel serving TLS only
 * (keys as Swarm secrets), the certificates valid for the addresses this machine dials, and a
 * failover with a stopped master passes with every acknowledged write accounted for. With passwords
 * and metrics: an exporter service beside every node, on its node's host, logged in over TLS from a
 * Swarm secret, and removed by down.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class SwarmTlsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Cli cli;
    private static String previousDockerHost;
    private static final String PASSWORD = "it-swtls-redis-pw";
    private static final String SENTINEL_PASSWORD = "it-swtls-sentinel-pw";
    private static final String EXPORTER_IMAGE = "oliver006/redis_exporter:v1.45.0";

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void lab() throws Exception {
        SwarmIT.lab("up");
        SwarmIT.lab("load-image", EXPORTER_IMAGE);
        previousDockerHost = System.getProperty("DOCKER_HOST");
        String env = SwarmIT.lab("env");
        String manager = env.lines().filter(l -> l.startsWith("export DOCKER_HOST=")).findFirst().orElseThrow()
                .replaceFirst("^[^=]*=\"?", "").replace("\"", "").strip();
        System.setProperty("DOCKER_HOST", manager);
        cli = Cli.project("it-swtls", SwarmIT.SWARM.replace("sentinels: 3\n",
                "sentinels:\n  count: 3\n  down-after-milliseconds: 3000\n  failover-timeout: 5000\n") + "tls:\n  enabled: true\n"
                + "auth:\n  password-file: redis.pass\n  sentinel-password-file: sentinel.pass\nmetrics:\n  enabled: true\n");
        java.nio.file.Path dir = cli.topology().getParent();
        java.nio.file.Files.writeString(dir.resolve("redis.pass"), PASSWORD + "\n");
        java.nio.file.Files.writeString(dir.resolve("sentinel.pass"), SENTINEL_PASSWORD + "\n");
    }

    @AfterAll
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void cleanUp() throws Exception {
        try {
            if (cli != null) {
                Cli.Result down = cli.run("down", "--volumes");
                assertEquals(0, down.exitCode(), down::toString);
                assertEquals("", SwarmIT.lab("docker", "1", "service", "ls", "--filter",
                        "label=io.redisha.project=" + cli.project(), "-q").strip(), "down removes every service, exporters too");
            }
        } finally {
            if (previousDockerHost == null) {
                System.clearProperty("DOCKER_HOST");
            } else {
                System.setProperty("DOCKER_HOST", previousDockerHost);
            }
        }
    }

    @Test
    void upWithTlsOnlyOnEveryHostAndAFailover() throws Exception {
        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Cli.Result status = cli.run("status", "--output", "json");
        assertEquals(0, status.exitCode(), status::toString);
        JsonNode s = JSON.readTree(status.out());
        assertTrue(s.get("ready").asBoolean(), status::toString);
        // every node answered a TLS handshake checked against the CA and the address dialled (127.0.0.1)
        assertTrue(s.get("certificate").get("daysLeft").asLong() >= 364, status::toString);
        List<JsonNode> nodes = new java.util.ArrayList<>();
        s.get("nodes").forEach(nodes::add);
        s.get("sentinels").forEach(nodes::add);
        assertEquals(6, nodes.size(), status::toString);
        for (JsonNode node : nodes) {
            int port = Integer.parseInt(node.get("hostAddress").asText().replaceFirst(".*:", ""));
            String reply = Probe.plaintextReply(port);
            assertFalse(reply.contains("PONG") || reply.startsWith("-"), node.get("name") + " answered plaintext: " + reply);
            assertThrows(RuntimeException.class, () -> {
                try (Jedis plain = new Jedis("127.0.0.1", port, 2000)) {
                    plain.ping();
                }
            });
        }
        exportersRunBesideTheirNodesAndAnswer();
        Cli.Result failover = cli.run("failover-test", "--output", "json");
        assertEquals(0, failover.exitCode(), failover::toString);
        JsonNode writes = JSON.readTree(failover.out()).get("rounds").get(0).get("writes");
        assertTrue(writes.get("acknowledged").asLong() > 0, failover::toString);
        assertEquals(0, writes.get("lost").asLong(), failover::toString);
        List<String> secretsOnly = List.of("PRIVATE KEY");
        String inspect = SwarmIT.lab("docker", "1", "service", "inspect", cli.project() + "-master-1");
        secretsOnly.forEach(k -> assertFalse(inspect.contains(k), "the service's spec shows a key"));
    }

    /**
     * Every node's exporter runs on its node's host, is listed by connect --output prometheus at the port it
     * publishes there (as swarm.dial maps it), answers /metrics there with its node up, and shows no password
     * in its service's spec.
     */
    private static void exportersRunBesideTheirNodesAndAnswer() throws Exception {
        // up waits for the nodes; an exporter's task may still be starting: listed once it runs
        java.util.Map<String, JsonNode> targets = new java.util.TreeMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Cli.Result connect;
        do {
            connect = cli.run("connect", "--output", "prometheus");
            targets.clear();
            if (connect.exitCode() == 0) {
                JSON.readTree(connect.out()).forEach(t -> targets.put(t.get("labels").get("redisha_node").asText(), t));
            }
        } while (targets.size() < 6 && System.nanoTime() < deadline && sleep(500));
        assertEquals(6, targets.size(), connect::toString);
        int hostsSeen = 0;
        for (int host = 1; host <= 3; host++) {
            String ps = SwarmIT.lab("docker", Integer.toString(host), "ps", "--filter", "label=io.redisha.project=" + cli.project(),
                    "--format", "{{.Label \"com.docker.swarm.service.name\"}} {{.Label \"io.redisha.exporter-of\"}}");
            java.util.Set<String> nodes = new java.util.TreeSet<>();
            java.util.Set<String> watched = new java.util.TreeSet<>();
            ps.lines().filter(l -> !l.isBlank()).forEach(l -> {
                String[] f = l.strip().split(" ");
                if (f.length == 2) {
                    watched.add(f[1]);
                } else {
                    nodes.add(f[0]);
                }
            });
            assertEquals(nodes, watched, "lab-host-" + host + " runs the exporters of its own nodes:\n" + ps);
            StringBuilder script = new StringBuilder();
            for (String node : watched) {
                String address = targets.get(node).get("targets").get(0).asText();
                int published = Integer.parseInt(address.replaceFirst(".*:", "")) - 100 * host;
                script.append("exec 3<>/dev/tcp/127.0.0.1/").append(published)
                        .append(" && printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3 && echo '### ").append(node)
                        .append("' && grep -E '^(redis_up|redis_sentinel_masters) ' <&3; exec 3<&-;\n");
            }
            // from the host itself: the lab forwards no exporter port to this machine
            String scraped = SwarmIT.lab("docker", Integer.toString(host), "run", "--rm", "--network", "host",
                    "--entrypoint", "bash", "redis:7", "-c", script.toString());
            for (String node : watched) {
                List<String> lines = scraped.substring(scraped.indexOf("### " + node)).lines().skip(1)
                        .takeWhile(l -> !l.startsWith("### ")).toList();
                assertTrue(lines.contains("redis_up 1"), node + "'s exporter on lab-host-" + host + ":\n" + scraped);
                if (node.contains("-sentinel-")) {
                    assertTrue(lines.contains("redis_sentinel_masters 1"), node + "'s exporter:\n" + scraped);
                }
                String inspect = SwarmIT.lab("docker", "1", "service", "inspect", node + "-exporter");
                assertFalse(inspect.contains(PASSWORD) || inspect.contains(SENTINEL_PASSWORD) || inspect.contains("PRIVATE KEY"),
                        node + "-exporter's spec shows a secret");
                hostsSeen++;
            }
        }
        assertEquals(6, hostsSeen, "every exporter was found on a host");
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }
}
