package io.redisha.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults Swarm or the network bring on their own, on the 3-host lab, with passwords on Redis and on
 * Sentinel: a master killed on its host and restarted by Swarm itself. Checked as {@link SwarmIT}
 * does, through each host's own engine and plain Jedis on the ports the hosts publish on loopback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class SwarmFaultsIT {
    private static final String PASSWORD = "it-sw2-redis-pw";
    private static final String SENTINEL_PASSWORD = "it-sw2-sentinel-pw";
    private static final String TOPOLOGY = "image: redis:7\nplatform: swarm\nreplicas: 2\nsentinels: 3\n"
            + "auth:\n  password-file: redis.pass\n  sentinel-password-file: sentinel.pass\n"
            + "swarm:\n  dial:\n    lab-host-1: 127.0.0.1+100\n    lab-host-2: 127.0.0.1+200\n    lab-host-3: 127.0.0.1+300\n";
    private static final int KEYS = 300;
    private static Cli cli;
    private static String previousDockerHost;

    @BeforeAll
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void labAndTopology() throws Exception {
        SwarmIT.lab("up");
        previousDockerHost = System.getProperty("DOCKER_HOST");
        String manager = SwarmIT.lab("env").lines().filter(l -> l.startsWith("export DOCKER_HOST="))
                .findFirst().orElseThrow().replaceFirst("^[^=]*=\"?", "").replace("\"", "").strip();
        System.setProperty("DOCKER_HOST", manager);
        cli = Cli.project("it-sw2", TOPOLOGY);
        Path dir = cli.topology().getParent();
        Files.writeString(dir.resolve("redis.pass"), PASSWORD + "\n");
        Files.writeString(dir.resolve("sentinel.pass"), SENTINEL_PASSWORD + "\n");
    }

    @AfterAll
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void cleanUp() throws Exception {
        try {
            for (int h = 1; h <= 3; h++) {
                SwarmIT.lab("rejoin-host", Integer.toString(h)); // no-op for a connected host
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

    static Jedis redisOn(int host) {
        Jedis j = new Jedis("127.0.0.1", 6379 + 100 * host, 2000);
        j.auth(PASSWORD);
        return j;
    }

    static Jedis sentinelOn(int host) {
        Jedis j = new Jedis("127.0.0.1", 26379 + 100 * host, 2000);
        j.auth(SENTINEL_PASSWORD);
        return j;
    }

    /** role, master_link_status and the number of keys of the Redis server host N publishes; "unreachable" when none answers. */
    static String observe(int host) {
        try (Jedis j = redisOn(host)) {
            String info = j.info("replication");
            String role = field(info, "role");
            String link = "master".equals(role) ? "" : " link:" + field(info, "master_link_status");
            return role + link + " keys:" + j.dbSize();
        } catch (RuntimeException e) {
            return "unreachable";
        }
    }

    static String field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElse(name + ":?")
                .substring(name.length() + 1).strip();
    }

    static int masterHost() {
        for (int h = 1; h <= 3; h++) {
            if (observe(h).startsWith("master ")) {
                return h;
            }
        }
        return 0;
    }

    /** The id of the project's Redis container on host N, as that host's own engine lists it. */
    static String redisContainerOn(int host) throws Exception {
        return SwarmIT.lab("docker", Integer.toString(host), "ps", "--filter", "label=io.redisha.project=" + cli.project(),
                        "--format", "{{.ID}} {{.Label \"io.redisha.service\"}}").lines()
                .filter(l -> !l.endsWith(" sentinel")).map(l -> l.split(" ")[0]).findFirst().orElse("");
    }

    static void writeKeys(int host, String prefix) {
        try (Jedis master = redisOn(host)) {
            for (int i = 0; i < KEYS; i++) {
                master.set(prefix + i, "v" + i);
            }
            assertEquals(2, master.waitReplicas(2, 5000), "both replicas acknowledged the keys");
        }
    }

    static void allKeysOn(int host, String prefix) {
        try (Jedis j = redisOn(host)) {
            for (int i = 0; i < KEYS; i++) {
                assertEquals("v" + i, j.get(prefix + i), prefix + i + " on host " + host);
            }
        }
    }

    @Test
    @Order(1)
    void aMasterKilledOnItsHostIsRestartedBySwarmAsAReplicaAndItsReplicasKeepTheData() throws Exception {
        Cli.Result up = cli.run("up", "--timeout", "150");
        assertEquals(0, up.exitCode(), up.toString());
        int old = masterHost();
        assertTrue(old > 0, "one host's Redis reports role:master");
        writeKeys(old, "k");
        String killed = redisContainerOn(old);
        assertTrue(!killed.isEmpty(), "host " + old + " runs the master's container");

        SwarmIT.lab("docker", Integer.toString(old), "kill", killed);
        long start = System.nanoTime();
        // Observe every host until Swarm has restarted the task (no redisha command runs meanwhile):
        // no Redis server may ever answer as a master with fewer keys than were written, and the
        // restarted one must come back as a replica that holds them all.
        List<String> timeline = new ArrayList<>();
        String[] last = new String[4];
        int promoted = 0;
        boolean back = false;
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120) && !back) {
            for (int h = 1; h <= 3; h++) {
                String now = observe(h);
                if (!now.equals(last[h])) {
                    timeline.add(String.format("%5.1fs host %d: %s", (System.nanoTime() - start) / 1e9, h, now));
                    last[h] = now;
                }
                assertTrue(!now.startsWith("master ") || now.equals("master keys:" + KEYS),
                        "a master with missing keys would wipe its replicas:\n" + String.join("\n", timeline));
                if (h != old && now.startsWith("master ")) {
                    promoted = h;
                }
            }
            back = promoted > 0 && last[old].equals("slave link:up keys:" + KEYS);
            Thread.sleep(250);
        }
        String story = String.join("\n", timeline);
        assertTrue(promoted > 0, "Sentinel promoted a replica on another host:\n" + story);
        assertTrue(back, "Swarm restarted the killed master as a replica of the new master holding every key:\n" + story);
        String restarted = redisContainerOn(old);
        assertNotEquals(killed, restarted, "a new container (Swarm's restart, not the old one)");
        System.out.println("killed master on host " + old + ", timeline:\n" + story);
        for (int h = 1; h <= 3; h++) {
            allKeysOn(h, "k");
        }
        try (Jedis sentinel = sentinelOn(promoted == 1 ? 2 : 1)) {
            assertEquals(Integer.toString(6379), sentinel.sentinelGetMasterAddrByName("mymaster").get(1));
        }

        Cli.Result again = cli.run("up", "--timeout", "150");
        assertEquals(0, again.exitCode(), again.toString());
        Cli.Result status = cli.run("status");
        assertEquals(0, status.exitCode(), status.toString());
        assertEquals(promoted, masterHost(), "up kept the promoted master");
        for (int h = 1; h <= 3; h++) {
            allKeysOn(h, "k");
        }
    }
}
