package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * redisha on the 3-host Swarm lab (scripts/swarm-lab), which the test brings up itself. Every claim
 * is checked independently of redisha: each host's own engine (scripts/swarm-lab docker N) and plain
 * Jedis connections to the ports each host publishes on this machine's loopback (port + 100*N).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class SwarmIT {
    private static final String LAB = "scripts/swarm-lab";
    /** The lab topology: one Redis server and one Sentinel per host, reached through loopback, volumes through each host's socket. */
    static final String SWARM = "image: redis:7\nplatform: swarm\nreplicas: 2\nsentinels: 3\n"
            + "swarm:\n  dial:\n    lab-host-1: 127.0.0.1+100\n    lab-host-2: 127.0.0.1+200\n    lab-host-3: 127.0.0.1+300\n"
            + "  engines:\n    lab-host-1: unix:///run/redisha-swarm-lab/lab-host-1/docker.sock\n"
            + "    lab-host-2: unix:///run/redisha-swarm-lab/lab-host-2/docker.sock\n"
            + "    lab-host-3: unix:///run/redisha-swarm-lab/lab-host-3/docker.sock\n";
    private static Cli cli;
    private static String previousDockerHost;

    static String lab(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAB));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        assertEquals(0, code, String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    /** What host N's own engine runs of the project: "service index" per running container. */
    static List<String> onHost(int host) throws Exception {
        String out = lab("docker", Integer.toString(host), "ps", "--filter", "label=io.redisha.project=" + cli.project(),
                "--format", "{{.Label \"io.redisha.service\"}} {{.Label \"io.redisha.index\"}}");
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    static Jedis redisOn(int host) {
        Jedis j = new Jedis("127.0.0.1", 6379 + 100 * host, 2000);
        return j;
    }

    static String role(int host) {
        try (Jedis j = redisOn(host)) {
            return j.info("replication").lines().filter(l -> l.startsWith("role:")).findFirst().orElse("").substring(5).strip();
        } catch (RuntimeException e) {
            return "unreachable";
        }
    }

    static int masterHost() {
        for (int h = 1; h <= 3; h++) {
            if ("master".equals(role(h))) {
                return h;
            }
        }
        return 0;
    }

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void labAndDeployment() throws Exception {
        lab("up");
        previousDockerHost = System.getProperty("DOCKER_HOST");
        String env = lab("env");
        managers = List.of(env.lines().filter(l -> l.startsWith("export REDISHA_LAB_MANAGER_HOSTS=")).findFirst()
                .orElseThrow().replaceFirst("^[^=]*=\"?", "").replace("\"", "").strip().split("\\s+"));
        useManagerOtherThan(0);
        cli = Cli.project("it-sw", SWARM);
    }

    private static List<String> managers;

    /** Points redisha at a manager on another host than {@code host}: what an operator does when a manager's host dies. */
    static void useManagerOtherThan(int host) {
        String manager = managers.stream().filter(m -> !m.contains("/lab-host-" + host + "/")).findFirst().orElseThrow();
        System.setProperty("DOCKER_HOST", manager);
    }

    @AfterAll
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void cleanUp() throws Exception {
        try {
            for (int h = 1; h <= 3; h++) {
                lab("start-host", Integer.toString(h)); // no-op for a running host
            }
            if (cli != null) {
                cli.run("down", "--volumes");
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
    @Order(1)
    void aSwarmTooSmallForTheTopologyIsRefusedAndNothingIsCreated() throws Exception {
        Cli big = Cli.project("it-sw-big", SWARM.replace("replicas: 2", "replicas: 3"));
        Cli.Result result = big.run("up", "--timeout", "60");
        assertEquals(6, result.exitCode(), result.toString());
        assertTrue(result.err().contains("needs 4") && result.err().contains("nothing was created"), result.toString());
        String services = lab("docker", "1", "service", "ls", "--filter", "label=io.redisha.project=" + big.project(), "-q");
        String networks = lab("docker", "1", "network", "ls", "--filter", "label=io.redisha.project=" + big.project(), "-q");
        assertEquals("", services.strip() + networks.strip(), "nothing of " + big.project() + " may exist");

        Cli fragile = Cli.project("it-sw-fragile", SWARM.replace("sentinels: 3", "sentinels: 2"));
        Cli.Result refused = fragile.run("up", "--timeout", "60");
        assertEquals(6, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("swarm.accept-risk"), refused.toString());
    }

    @Test
    @Order(2)
    void upPlacesOneRedisServerAndOneSentinelOnEachHostAndConverges() throws Exception {
        Cli.Result up = cli.run("up", "--timeout", "150");
        assertEquals(0, up.exitCode(), up.toString());
        for (int h = 1; h <= 3; h++) {
            List<String> here = onHost(h);
            assertEquals(2, here.size(), "host " + h + " runs " + here);
            assertEquals(1, here.stream().filter(s -> s.startsWith("sentinel")).count(), "host " + h + " runs " + here);
            assertEquals(1, here.stream().filter(s -> !s.startsWith("sentinel")).count(), "host " + h + " runs " + here);
        }
        assertTrue(masterHost() > 0, "one host's published Redis reports role:master");
        String services = lab("docker", "1", "service", "ls", "--filter", "label=io.redisha.project=" + cli.project(),
                "--format", "{{.ID}}");
        Cli.Result again = cli.run("up");
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(!again.err().contains("creating"), "a second up creates nothing:\n" + again.err());
        assertEquals(services, lab("docker", "1", "service", "ls", "--filter", "label=io.redisha.project="
                + cli.project(), "--format", "{{.ID}}"), "same services");
    }

    @Test
    @Order(3)
    void losingTheMastersHostFailsOverAndLosesNoKey() throws Exception {
        int old = masterHost();
        assertTrue(old > 0);
        Map<String, String> written = new HashMap<>();
        try (Jedis master = redisOn(old)) {
            for (int i = 0; i < 200; i++) {
                master.set("k" + i, "v" + i);
                written.put("k" + i, "v" + i);
            }
            master.waitReplicas(2, 5000);
        }
        useManagerOtherThan(old);
        lab("stop-host", Integer.toString(old), "--wait");
        try {
            failsOverWhileTheHostIsDown(old, written);
        } finally {
            lab("start-host", Integer.toString(old));
        }
        Cli.Result up = cli.run("up", "--timeout", "150");
        assertEquals(0, up.exitCode(), up.toString());
        int now = masterHost();
        try (Jedis master = redisOn(now)) {
            written.forEach((k, v) -> assertEquals(v, master.get(k), k + " on the master after the host came back"));
            assertEquals("yes", master.get("after-failover"));
        }
        assertEquals("slave", role(old).replace("replica", "slave"), "the old master's host runs a replica now");
    }

    private void failsOverWhileTheHostIsDown(int old, Map<String, String> written) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int promoted = 0;
        while (System.nanoTime() < deadline && promoted == 0) {
            for (int h = 1; h <= 3; h++) {
                if (h != old && "master".equals(role(h))) {
                    promoted = h;
                }
            }
            Thread.sleep(250);
        }
        assertTrue(promoted > 0, "a replica on another host was promoted");
        // a Sentinel-aware write: ask a surviving Sentinel for the master, write there
        int sentinelHost = old == 1 ? 2 : 1;
        try (Jedis sentinel = new Jedis("127.0.0.1", 26379 + 100 * sentinelHost, 2000);
             Jedis master = redisOn(promoted)) {
            assertTrue(sentinel.sentinelGetMasterAddrByName("mymaster").get(0).startsWith("10."),
                    "Sentinel names the new master by its overlay address");
            assertEquals("OK", master.set("after-failover", "yes"));
        }
        Cli.Result status = cli.run("status");
        assertEquals(5, status.exitCode(), status.toString());
        assertTrue(status.out().contains("host lab-host-" + old + " is down"), status.toString());
    }

    @Test
    @Order(4)
    void losingAHostWithoutTheMasterKeepsTheMasterWritableAndUpConverges() throws Exception {
        int master = masterHost();
        assertTrue(master > 0);
        int other = master == 3 ? 2 : 3;
        useManagerOtherThan(other);
        lab("stop-host", Integer.toString(other), "--wait");
        try {
            // longer than down-after-milliseconds (5 s) and a failover: Sentinel must not move the master
            try (Jedis m = redisOn(master)) {
                for (int i = 0; i < 15; i++) {
                    assertEquals("OK", m.set("replica-host-down-" + i, "v" + i), "write " + i + " while host " + other + " is down");
                    Thread.sleep(1000);
                }
            }
            assertEquals("master", role(master), "no failover when the lost host ran no master");
            Cli.Result status = cli.run("status");
            assertEquals(5, status.exitCode(), status.toString());
            assertTrue(status.out().contains("host lab-host-" + other + " is down"), status.toString());
        } finally {
            lab("start-host", Integer.toString(other));
        }
        Cli.Result up = cli.run("up", "--timeout", "150");
        assertEquals(0, up.exitCode(), up.toString());
        assertEquals(master, masterHost(), "the master stayed where it was");
        assertEquals("slave", role(other).replace("replica", "slave"), "host " + other + " runs a replica again");
        try (Jedis m = redisOn(master)) {
            for (int i = 0; i < 15; i++) {
                assertEquals("v" + i, m.get("replica-host-down-" + i));
            }
        }
    }

    @Test
    @Order(5)
    void failoverTestWithADrainedHostPasses() throws Exception {
        Cli.Result result = cli.run("failover-test", "--fault", "drain", "--timeout", "150", "--output", "json");
        assertEquals(0, result.exitCode(), result.toString());
        JsonNode report = new ObjectMapper().readTree(result.out());
        assertTrue(report.toString().contains("drain"), result.toString());
        String nodes = lab("docker", "1", "node", "ls", "--format", "{{.Hostname}} {{.Availability}}");
        assertTrue(nodes.lines().allMatch(l -> l.endsWith("Active")), "every host is active again:\n" + nodes);
    }

    @Test
    @Order(6)
    void aBackupIsReadThroughTheReplicasHostAndRestoredOnTheMastersHostAfterAFlushall() throws Exception {
        int master = masterHost();
        assertTrue(master > 0);
        long keys;
        try (Jedis m = redisOn(master)) {
            m.flushAll(); // the earlier tests' keys, some with a time to live, would make the counts move
            for (int i = 0; i < 100; i++) {
                m.set("backup-" + i, "v" + i);
            }
            assertEquals(2, m.waitReplicas(2, 5000));
            keys = m.dbSize();
            assertEquals(100, keys);
        }
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("redisha-swarm-bk");
        Cli.Result backup = cli.run("backup", "--to", dir + "/", "--require-replica", "--output", "json");
        assertEquals(0, backup.exitCode(), backup.toString());
        JsonNode manifest = new ObjectMapper().readTree(backup.out()).get("manifest");
        assertEquals("replica", manifest.get("sourceRole").asText(), manifest.toString());
        assertEquals(keys, manifest.get("keys").asLong(), "keys the server's check read from the copied file");
        java.nio.file.Path file = dir.resolve(manifest.get("file").asText());
        assertEquals(manifest.get("size").asLong(), java.nio.file.Files.size(file));
        assertEquals("REDIS0010", new String(java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(file), 9),
                StandardCharsets.US_ASCII));
        // without persistence the snapshot made for the backup is removed from the replica, on its host
        int found = 0;
        for (int h = 1; h <= 3; h++) {
            String id = lab("docker", Integer.toString(h), "ps", "-q", "--filter",
                    "label=com.docker.swarm.service.name=" + manifest.get("source").asText()).strip();
            if (!id.isEmpty()) {
                found++;
                lab("docker", Integer.toString(h), "exec", id, "sh", "-c", "test ! -e /data/dump.rdb");
            }
        }
        assertEquals(1, found, "the replica's task runs on one host");

        Map<String, String> before = new HashMap<>();
        try (Jedis m = redisOn(master)) {
            for (String k : m.keys("*")) {
                before.put(k, m.get(k));
            }
            m.flushAll();
            assertEquals(2, m.waitReplicas(2, 5000));
        }
        Cli.Result restore = cli.run("restore", file.toString(), "--timeout", "120");
        assertEquals(0, restore.exitCode(), restore.toString());
        assertTrue(restore.err().contains("at its new address"), "the master's new task has a new address:\n" + restore);
        assertEquals(master, masterHost(), "the master is restored on its own host");
        for (int h = 1; h <= 3; h++) {
            try (Jedis j = redisOn(h)) {
                assertEquals(keys, j.dbSize(), "keys on host " + h);
                for (Map.Entry<String, String> e : before.entrySet()) {
                    assertEquals(e.getValue(), j.get(e.getKey()), e.getKey() + " on host " + h);
                }
            }
        }
        // the restarted master is a new task with a new address: every Sentinel and replica follows it
        java.util.Set<String> named = new java.util.HashSet<>();
        for (int h = 1; h <= 3; h++) {
            try (Jedis sentinel = new Jedis("127.0.0.1", 26379 + 100 * h, 2000)) {
                Map<String, String> m = sentinel.sentinelMaster("mymaster");
                assertEquals("5000", m.get("down-after-milliseconds"), "host " + h + "'s Sentinel: the topology's down-after");
                assertEquals("2", m.get("num-slaves"), "host " + h + "'s Sentinel knows both replicas: " + m);
                named.add(m.get("ip"));
            }
        }
        assertEquals(1, named.size(), "the Sentinels name one master: " + named);
        for (int h = 1; h <= 3; h++) {
            if (h != master) {
                try (Jedis j = redisOn(h)) {
                    String replication = j.info("replication");
                    assertTrue(replication.contains("master_host:" + named.iterator().next() + "\r\n")
                            && replication.contains("master_link_status:up"), "host " + h + ": " + replication);
                }
            }
        }
    }

    @Test
    @Order(7)
    void downRemovesOnlyTheProjectsObjects() throws Exception {
        Cli.Result down = cli.run("down");
        assertEquals(0, down.exitCode(), down.toString());
        String filter = "label=io.redisha.project=" + cli.project();
        assertEquals("", (lab("docker", "1", "service", "ls", "--filter", filter, "-q")
                + lab("docker", "1", "config", "ls", "--filter", filter, "-q")
                + lab("docker", "1", "secret", "ls", "--filter", filter, "-q")).strip());
        // gone when down returns: Swarm removes a network after the call that removes it, and an up
        // right after a down that returned earlier found it and failed ("network <project>-net not found")
        assertEquals("", lab("docker", "1", "network", "ls", "--filter", filter, "-q").strip(),
                "the project's network is still listed after down returned");
        Cli.Result volumes = cli.run("down", "--volumes");
        assertEquals(0, volumes.exitCode(), volumes.toString());
        for (int h = 1; h <= 3; h++) {
            assertEquals("", lab("docker", Integer.toString(h), "volume", "ls", "-q", "--filter", filter).strip(),
                    "down --volumes after down removes the volumes left on host " + h + ":\n" + volumes);
        }
    }
}
