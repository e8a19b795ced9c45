package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the 3-host Swarm lab: up is ready with every Redis server and Sentinel serving TLS only
 * (keys as Swarm secrets), the certificates valid for the addresses this machine dials, and a
 * failover with a stopped master passes with every acknowledged write accounted for.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class SwarmTlsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Cli cli;
    private static String previousDockerHost;

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void lab() throws Exception {
        SwarmIT.lab("up");
        previousDockerHost = System.getProperty("DOCKER_HOST");
        String env = SwarmIT.lab("env");
        String manager = env.lines().filter(l -> l.startsWith("export DOCKER_HOST=")).findFirst().orElseThrow()
                .replaceFirst("^[^=]*=\"?", "").replace("\"", "").strip();
        System.setProperty("DOCKER_HOST", manager);
        cli = Cli.project("it-swtls", SwarmIT.SWARM.replace("sentinels: 3\n",
                "sentinels:\n  count: 3\n  down-after-milliseconds: 3000\n  failover-timeout: 5000\n") + "tls:\n  enabled: true\n");
    }

    @AfterAll
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void cleanUp() throws Exception {
        try {
            if (cli != null) {
                Cli.Result down = cli.run("down", "--volumes");
                assertEquals(0, down.exitCode(), down::toString);
            }
        } finally {
            if (previousDockerHost == null) {
                System.clearProperty("DOCKER_HOST");
            } else {
                System.setProperty("DOCKER_HOST", previousDockerHost);
            }
        }
    }

    /** What a plaintext PING written to a published port gets back within 2 s (nothing, or a closed connection). */
    private static String plaintextReply(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64];
            int n = in.read(buffer);
            return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
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
            String reply = plaintextReply(port);
            assertFalse(reply.contains("PONG") || reply.startsWith("-"), node.get("name") + " answered plaintext: " + reply);
            assertThrows(RuntimeException.class, () -> {
                try (Jedis plain = new Jedis("127.0.0.1", port, 2000)) {
                    plain.ping();
                }
            });
        }
        Cli.Result failover = cli.run("failover-test", "--output", "json");
        assertEquals(0, failover.exitCode(), failover::toString);
        JsonNode writes = JSON.readTree(failover.out()).get("rounds").get(0).get("writes");
        assertTrue(writes.get("acknowledged").asLong() > 0, failover::toString);
        assertEquals(0, writes.get("lost").asLong(), failover::toString);
        List<String> secretsOnly = List.of("PRIVATE KEY");
        String inspect = SwarmIT.lab("docker", "1", "service", "inspect", cli.project() + "-master-1");
        secretsOnly.forEach(k -> assertFalse(inspect.contains(k), "the service's spec shows a key"));
    }
}
