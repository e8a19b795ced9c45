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
 * spec shows a password or a key. With metrics: an exporter service beside every node, on its node's host,
 * logged in over TLS as the metrics user from a Swarm secret, and removed by down.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class SwarmTlsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> USERS = List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery", "app");
    private static final String AUTH = AclUsersIT.COMPONENT_USERS
            + "    app: {password-file: app.pass, rules: \"~app:* +@all -@dangerous\"}\n"
            + "    metrics: {password-file: metrics.pass}\nmetrics:\n  enabled: true\n";
    private static final String EXPORTER_IMAGE = "oliver006/redis_exporter:v1.45.0";
    private static Cli cli;
    /** The passwords' generation: 2 once rotated. */
    private static volatile String generation = "1";
    private static String previousDockerHost;

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
                + AUTH);
        writePasswords(USERS);
        writePasswords(List.of("metrics"));
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
        exportersRunBesideTheirNodesAndAnswer();
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

        List<String> secretsOnly = secrets();
        for (JsonNode node : nodes) {
            String inspect = SwarmIT.lab("docker", "1", "service", "inspect", node.get("name").asText());
            secretsOnly.forEach(k -> assertFalse(inspect.contains(k), node.get("name") + "'s service spec shows a secret"));
        }
        // on each host: the task containers' command lines show none, and the files that hold them are 600 (400: Swarm's)
        for (int host = 1; host <= 3; host++) {
            for (String line : SwarmIT.lab("docker", Integer.toString(host), "ps", "--filter",
                    "label=io.redisha.project=" + cli.project(), "--format", "{{.ID}} {{.Label \"io.redisha.exporter-of\"}}")
                    .lines().filter(l -> !l.isBlank()).toList()) {
                String id = line.strip().split(" ")[0];
                String inspect = SwarmIT.lab("docker", Integer.toString(host), "inspect", id);
                secretsOnly.forEach(k -> assertFalse(inspect.contains(k), id + "'s container shows a secret"));
                if (line.strip().contains(" ")) {
                    continue; // an exporter: its image has no shell; its files are Swarm secrets, 400 by their spec
                }
                String modes = SwarmIT.lab("docker", Integer.toString(host), "exec", id, "sh", "-c",
                        "stat -c '%a %n' /data/*.conf /data/tls/*.key /run/secrets/*");
                assertTrue(modes.lines().filter(l -> !l.isBlank()).allMatch(l -> l.startsWith("600 ") || l.startsWith("400 ")),
                        modes);
            }
        }
    }

    /** What no spec or container may show: a private key, and every user's password of both generations. */
    private static List<String> secrets() {
        List<String> secrets = new java.util.ArrayList<>(List.of("PRIVATE KEY"));
        java.util.stream.Stream.concat(USERS.stream(), java.util.stream.Stream.of("metrics"))
                .forEach(u -> secrets.addAll(List.of(password(u, "1"), password(u, "2"))));
        return secrets;
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
                secrets().forEach(k -> assertFalse(inspect.contains(k), node + "-exporter's spec shows a secret"));
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
