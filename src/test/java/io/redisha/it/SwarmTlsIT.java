package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import io.redisha.tls.ClientTls;
import io.redisha.tls.Pem;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS and ACL users on the 3-host Swarm lab, the representative production setup: up is ready with every
 * Redis server and Sentinel serving TLS only (keys as Swarm secrets), the certificates valid for the
 * addresses this machine dials; the default user is off everywhere and the application user limited to
 * its keys (checked with plain Jedis); a failover with a stopped master passes with every acknowledged
 * write accounted for, the restarted node keeps its users; cli and backup log in as users; no service's
 * spec shows a password or a key.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class SwarmTlsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> USERS = List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery", "app");
    private static final String AUTH = """
            auth:
              users:
                redisha: {password-file: redisha.pass}
                replication: {password-file: replication.pass}
                sentinel: {password-file: sentinel.pass}
                sentinel-peer: {password-file: sentinel-peer.pass}
                discovery: {password-file: discovery.pass}
                app: {password-file: app.pass, rules: "~app:* +@all -@dangerous"}
            """;
    private static Cli cli;
    /** The passwords' generation: 2 once rotated. */
    private static volatile String generation = "1";
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
                "sentinels:\n  count: 3\n  down-after-milliseconds: 3000\n  failover-timeout: 5000\n") + "tls:\n  enabled: true\n"
                + AUTH);
        writePasswords(USERS);
    }

    private static void writePasswords(List<String> users) throws java.io.IOException {
        for (String user : users) {
            Path file = cli.topology().resolveSibling(user + ".pass");
            Files.writeString(file, password(user, generation));
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static String password(String user) {
        return password(user, generation);
    }

    private static String password(String user, String generation) {
        // no blanks or quotes: Sentinel writes auth-pass and sentinel-pass back to its file unquoted
        return "swarm-" + user + "-pw-" + generation;
    }

    /** The running task of each of the project's services, by the lab's manager. */
    private static List<String> runningTasks(List<JsonNode> nodes) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("docker", "1", "service", "ps", "-q", "--filter",
                "desired-state=running"));
        nodes.forEach(n -> command.add(n.get("name").asText()));
        return SwarmIT.lab(command.toArray(String[]::new)).lines().filter(l -> !l.isBlank()).sorted().toList();
    }

    /** A plain Jedis over TLS (trusting the project's CA, with its client certificate) that has not logged in. */
    private static Jedis tls(int port) {
        Path dir = cli.topology().resolveSibling("tls").resolve(cli.project());
        ClientTls tls = ClientTls.of(Pem.readCertificates(dir.resolve("ca.crt")),
                Pem.load(dir.resolve("client.crt"), dir.resolve("client.key")));
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().ssl(true)
                .sslSocketFactory(tls.socketFactory()).sslParameters(tls.parameters())
                .connectionTimeoutMillis(3000).socketTimeoutMillis(3000).build());
    }

    private static int port(JsonNode node) {
        return Integer.parseInt(node.get("hostAddress").asText().replaceFirst(".*:", ""));
    }

    /**
     * Every node: no command without logging in, the default user off; the Redis nodes let the application
     * user at its own keys only, the Sentinels let the discovery user find the master.
     */
    private static void usersOnEveryNode(JsonNode status) {
        for (JsonNode node : status.get("nodes")) {
            try (Jedis j = tls(port(node))) {
                JedisDataException noAuth = assertThrows(JedisDataException.class, () -> j.get("app:1"), node::toString);
                assertTrue(noAuth.getMessage().startsWith("NOAUTH"), noAuth.getMessage());
                assertThrows(JedisDataException.class, () -> j.auth("default", "anything"), node::toString);
                assertEquals("OK", j.auth("app", password("app")));
                if ("master".equals(node.get("role").asText())) {
                    assertEquals("OK", j.set("app:1", "v"));
                }
                JedisDataException noPerm = assertThrows(JedisDataException.class, () -> j.get("other:1"), node::toString);
                assertTrue(noPerm.getMessage().startsWith("NOPERM"), noPerm.getMessage());
                assertThrows(JedisDataException.class, () -> j.configGet("*"), "app may not CONFIG");
            }
        }
        for (JsonNode node : status.get("sentinels")) {
            try (Jedis j = tls(port(node))) {
                assertThrows(JedisDataException.class, () -> j.sentinelMasters(), node::toString);
                assertThrows(JedisDataException.class, () -> j.auth("default", "anything"), node::toString);
                assertEquals("OK", j.auth("discovery", password("discovery")));
                assertEquals(2, j.sentinelGetMasterAddrByName("mymaster").size(), node::toString);
                assertThrows(JedisDataException.class, () -> j.sentinelReset("mymaster"), "discovery may not SENTINEL RESET");
            }
        }
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

    @Test
    void upWithTlsOnlyAndUsersOnEveryHostAndAFailover() throws Exception {
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
            int port = port(node);
            String reply = Probe.plaintextReply(port);
            assertFalse(reply.contains("PONG") || reply.startsWith("-"), node.get("name") + " answered plaintext: " + reply);
            assertThrows(RuntimeException.class, () -> {
                try (Jedis plain = new Jedis("127.0.0.1", port, 2000)) {
                    plain.ping();
                }
            });
        }
        usersOnEveryNode(s);
        Cli.Result asApp = cli.runFileFirst("cli", "--user", "app", "master", "GET", "other:1");
        assertTrue(asApp.out().contains("NOPERM"), asApp::toString);

        // the passwords of every user but redisha rotated in place, no task restarted
        List<String> tasks = runningTasks(nodes);
        generation = "2";
        writePasswords(USERS.subList(1, USERS.size()));
        long started = System.nanoTime();
        Cli.Result rotate = cli.run("up");
        assertEquals(0, rotate.exitCode(), rotate::toString);
        System.out.printf("Swarm: passwords of 5 users rotated in place by up in %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertTrue(rotate.err().contains("rotated: the old ones are refused from now on"), rotate::toString);
        assertTrue(rotate.err().contains("masterauth: the replication user's new password on 3 Redis nodes"), rotate::toString);
        assertEquals(tasks, runningTasks(nodes), "a task was restarted");
        try (Jedis j = tls(port(nodes.get(0)))) {
            assertThrows(JedisDataException.class, () -> j.auth("app", password("app", "1")), "the old password");
        }
        usersOnEveryNode(s);

        Cli.Result failover = cli.run("failover-test", "--output", "json");
        assertEquals(0, failover.exitCode(), failover::toString);
        JsonNode writes = JSON.readTree(failover.out()).get("rounds").get(0).get("writes");
        assertTrue(writes.get("acknowledged").asLong() > 0, failover::toString);
        assertEquals(0, writes.get("lost").asLong(), failover::toString);
        // the stopped master's task started again from its volume: the same users with the rotated passwords
        Cli.Result after = cli.run("status", "--output", "json");
        assertEquals(0, after.exitCode(), after::toString);
        usersOnEveryNode(JSON.readTree(after.out()));

        Path backups = Files.createTempDirectory("redisha-swtls-backup");
        Cli.Result backup = cli.run("backup", "--to", backups + "/", "--output", "json");
        assertEquals(0, backup.exitCode(), backup::toString);

        List<String> secretsOnly = new java.util.ArrayList<>(List.of("PRIVATE KEY"));
        USERS.forEach(u -> secretsOnly.addAll(List.of(password(u, "1"), password(u, "2"))));
        for (JsonNode node : nodes) {
            String inspect = SwarmIT.lab("docker", "1", "service", "inspect", node.get("name").asText());
            secretsOnly.forEach(k -> assertFalse(inspect.contains(k), node.get("name") + "'s service spec shows a secret"));
        }
        // on each host: the task containers' command lines show none, and the files that hold them are 600 (400: Swarm's)
        for (int host = 1; host <= 3; host++) {
            for (String id : SwarmIT.lab("docker", Integer.toString(host), "ps", "-q", "--filter",
                    "label=io.redisha.project=" + cli.project()).lines().filter(l -> !l.isBlank()).toList()) {
                String inspect = SwarmIT.lab("docker", Integer.toString(host), "inspect", id);
                secretsOnly.forEach(k -> assertFalse(inspect.contains(k), id + "'s container shows a secret"));
                String modes = SwarmIT.lab("docker", Integer.toString(host), "exec", id, "sh", "-c",
                        "stat -c '%a %n' /data/*.conf /data/tls/*.key /run/secrets/*");
                assertTrue(modes.lines().filter(l -> !l.isBlank()).allMatch(l -> l.startsWith("600 ") || l.startsWith("400 ")),
                        modes);
            }
        }
    }
}
