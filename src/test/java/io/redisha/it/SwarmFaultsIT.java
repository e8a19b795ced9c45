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
    private static final String TOPOLOGY = SwarmIT.SWARM
            + "auth:\n  password-file: redis.pass\n  sentinel-password-file: sentinel.pass\n";
    private static final int KEYS = 300;
    private static Cli cli;
    private static String previousDockerHost;

    @BeforeAll
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void labAndTopology() throws Exception {
        SwarmIT.lab("up");
        previousDockerHost = System.getProperty("DOCKER_HOST");
        managers = List.of(SwarmIT.lab("env").lines().filter(l -> l.startsWith("export REDISHA_LAB_MANAGER_HOSTS="))
                .findFirst().orElseThrow().replaceFirst("^[^=]*=\"?", "").replace("\"", "").strip().split("\\s+"));
        useManagerOtherThan(0);
        cli = Cli.project("it-sw2", TOPOLOGY);
        Path dir = cli.topology().getParent();
        Files.writeString(dir.resolve("redis.pass"), PASSWORD + "\n");
        Files.writeString(dir.resolve("sentinel.pass"), SENTINEL_PASSWORD + "\n");
    }

    private static List<String> managers;

    /** Points redisha at a manager on another host than {@code host}, as an operator would. */
    static void useManagerOtherThan(int host) {
        System.setProperty("DOCKER_HOST", managers.stream().filter(m -> !m.contains("/lab-host-" + host + "/"))
                .findFirst().orElseThrow());
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
    /** How many of the project's Sentinels and Redis servers each host's own engine runs: "S/R" per host. */
    static List<String> perHost() throws Exception {
        List<String> counts = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            List<String> here = SwarmIT.lab("docker", Integer.toString(h), "ps", "--filter", "label=io.redisha.project="
                    + cli.project(), "--format", "{{.Label \"io.redisha.service\"}}").lines().filter(l -> !l.isBlank()).toList();
            long sentinels = here.stream().filter("sentinel"::equals).count();
            counts.add(sentinels + "/" + (here.size() - sentinels));
        }
        return counts;
    }

    @Test
    @Order(2)
    void scaleKeepsThePlacementRulesAndRefusesWhatLosingOneHostWouldBreak() throws Exception {
        String file = Files.readString(cli.topology());
        Cli.Result four = cli.run("scale", "sentinel=4");
        assertEquals(6, four.exitCode(), four.toString());
        assertTrue(four.err().contains("leave 2 of the 4 Sentinels") && four.err().contains("not a majority"), four.toString());
        Cli.Result replicas = cli.run("scale", "replica=3");
        assertEquals(6, replicas.exitCode(), replicas.toString());
        assertTrue(replicas.err().contains("needs 4"), replicas.toString());
        Cli.Result two = cli.run("scale", "sentinel=2");
        assertEquals(6, two.exitCode(), two.toString());
        assertTrue(two.err().contains("leave 1 of the 2 Sentinels"), two.toString());
        assertEquals(file, Files.readString(cli.topology()), "a refused scale leaves the topology file alone");
        assertEquals(List.of("1/1", "1/1", "1/1"), perHost(), "and the deployment");

        Cli.Result five = cli.run("scale", "sentinel=5", "--timeout", "150");
        assertEquals(0, five.exitCode(), five.toString());
        List<String> spread = perHost();
        assertEquals(List.of("1/1", "2/1", "2/1"), spread.stream().sorted().toList(),
                "5 Sentinels spread 2, 2, 1 over the hosts, one Redis server on each: " + spread);
        for (int h = 1; h <= 3; h++) {
            if (spread.get(h - 1).startsWith("2/")) {
                try (Jedis second = new Jedis("127.0.0.1", 26380 + 100 * h, 2000)) {
                    second.auth(SENTINEL_PASSWORD);
                    assertEquals(4, Integer.parseInt(second.sentinelMasters().get(0).get("num-other-sentinels")),
                            "the second Sentinel on host " + h + " answers on port 26380 there and knows the 4 others");
                }
            }
        }

        Cli.Result back = cli.run("scale", "sentinel=3", "--timeout", "150");
        assertEquals(0, back.exitCode(), back.toString());
        assertEquals(List.of("1/1", "1/1", "1/1"), perHost());
    }
    /**
     * Writes numbered keys, one at a time, to whichever Redis server this machine reaches that reports
     * role:master, and records every write that was acknowledged, with the host that acknowledged it.
     */
    static final class Writer implements Runnable {
        final java.util.Map<String, Integer> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean stop;
        private final Thread thread = new Thread(this, "it-sw2-writer");

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join(10_000);
        }

        @Override
        public void run() {
            int i = 0;
            while (!stop) {
                int host = masterHost();
                String key = "w:" + i++;
                try (Jedis j = redisOn(host == 0 ? 1 : host)) {
                    if (host > 0 && "OK".equals(j.set(key, "v"))) {
                        acknowledged.put(key, host);
                    } else {
                        failed.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Test
    @Order(3)
    void isolatingTheMastersHostFailsOverOnTheMajorityAndWhatTheIsolatedMasterAcknowledgedIsCountedLost() throws Exception {
        Cli.Result up = cli.run("up", "--timeout", "150");
        assertEquals(0, up.exitCode(), up.toString());
        int old = masterHost();
        assertTrue(old > 0);
        String isolatedContainer = redisContainerOn(old);
        Writer writer = new Writer();
        writer.start();
        Thread.sleep(2000);
        useManagerOtherThan(old);
        long start = System.nanoTime();
        SwarmIT.lab("isolate-host", Integer.toString(old));
        int promoted = 0;
        long isolatedAcknowledged;
        try {
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(90) && promoted == 0) {
                for (int h = 1; h <= 3; h++) {
                    if (h != old && observe(h).startsWith("master ")) {
                        promoted = h;
                    }
                }
                Thread.sleep(250);
            }
            double failoverSeconds = (System.nanoTime() - start) / 1e9;
            assertTrue(promoted > 0, "the Sentinels on the two other hosts promoted a replica");
            Thread.sleep(2000); // the writer reaches the new master
            writer.stop();
            // The isolated master still runs and still takes writes (the partition's split brain); this
            // machine reaches it only through its host's own engine.
            String isolatedWrites = SwarmIT.lab("docker", Integer.toString(old), "exec", isolatedContainer, "sh", "-c",
                    "for i in $(seq 1 50); do REDISCLI_AUTH=" + PASSWORD + " redis-cli SET iso:$i v; done");
            isolatedAcknowledged = isolatedWrites.lines().filter("OK"::equals).count();
            assertTrue(isolatedAcknowledged > 0, "the isolated master acknowledged writes:\n" + isolatedWrites);
            Cli.Result status = cli.run("status");
            assertEquals(5, status.exitCode(), status.toString());
            System.out.println("isolated host " + old + ": replica on host " + promoted + " promoted "
                    + String.format("%.1f", failoverSeconds) + " s after the partition began; status:\n" + status.out());
        } finally {
            writer.stop();
            SwarmIT.lab("rejoin-host", Integer.toString(old));
        }
        long rejoined = System.nanoTime();
        Cli.Result again = cli.run("up", "--timeout", "200");
        assertEquals(0, again.exitCode(), again.toString());
        System.out.printf("up converged %.1f s after the rejoin%n", (System.nanoTime() - rejoined) / 1e9);
        int now = masterHost();
        assertEquals(promoted, now, "the majority's master stays master");
        assertEquals("slave", observe(old).split(" ")[0], "the isolated master came back a replica");

        // Accounting: read back every acknowledged write from the master.
        long lostIsolated = 0;
        java.util.Map<Integer, Integer> lostByHost = new java.util.TreeMap<>();
        java.util.Map<Integer, Integer> ackedByHost = new java.util.TreeMap<>();
        try (Jedis master = redisOn(now)) {
            for (int i = 1; i <= 50; i++) {
                if (master.get("iso:" + i) == null) {
                    lostIsolated++;
                }
            }
            for (var e : writer.acknowledged.entrySet()) {
                ackedByHost.merge(e.getValue(), 1, Integer::sum);
                if (master.get(e.getKey()) == null) {
                    lostByHost.merge(e.getValue(), 1, Integer::sum);
                }
            }
        }
        System.out.println("writer: acknowledged by host " + ackedByHost + ", of which lost " + lostByHost
                + ", failed " + writer.failed.get() + "; isolated master: acknowledged " + isolatedAcknowledged
                + ", lost " + lostIsolated);
        assertEquals(isolatedAcknowledged, lostIsolated, "every write the isolated master acknowledged is lost, exactly");
        assertEquals(0, lostByHost.getOrDefault(promoted, 0), "no write the promoted master acknowledged is lost");
        assertTrue(ackedByHost.getOrDefault(promoted, 0) > 0 && ackedByHost.getOrDefault(old, 0) > 0,
                "the writer wrote to both masters: " + ackedByHost);
    }
    static String volumesOn(int host, String project) throws Exception {
        return SwarmIT.lab("docker", Integer.toString(host), "volume", "ls", "-q", "--filter",
                "label=io.redisha.project=" + project).strip();
    }

    /** Every container of the project on every host, as each host's own engine lists it, sorted. */
    static List<String> containers() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            SwarmIT.lab("docker", Integer.toString(h), "ps", "-q", "--no-trunc", "--filter",
                    "label=io.redisha.project=" + cli.project()).lines().filter(l -> !l.isBlank()).forEach(ids::add);
        }
        return ids.stream().sorted().toList();
    }

    /** A client configuration through the ports the hosts publish, whose every new connection logs in as {@code credentials} say then. */
    private static redis.clients.jedis.JedisClientConfig loggingIn(java.util.Map<String, String> addressMap,
            java.util.function.Supplier<redis.clients.jedis.RedisCredentials> credentials) {
        return redis.clients.jedis.DefaultJedisClientConfig.builder().timeoutMillis(3000)
                .hostAndPortMapper(a -> addressMap.containsKey(a.toString())
                        ? redis.clients.jedis.HostAndPort.from(addressMap.get(a.toString())) : a)
                .credentialsProvider(credentials).build();
    }

    private static void secret(String name, String value) throws Exception {
        Path file = cli.topology().resolveSibling(name);
        Files.writeString(file, value + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    /** The mode and the content of the restart protection's credential in the data volume of host N's Redis node. */
    private static String protection(int host) throws Exception {
        return SwarmIT.lab("docker", Integer.toString(host), "exec", redisContainerOn(host), "sh", "-c",
                "stat -c %a /data/.redisha-sentinel-auth; cat /data/.redisha-sentinel-auth");
    }

    private static final String NEW_PASSWORD = "it-sw2-Rot4te-Redis_2";
    private static final String NEW_SENTINEL_PASSWORD = "it-sw2-Rot4te-Sentinel_2";

    /**
     * On Swarm as on one engine: the single password and Sentinel's changed, up rotates them in place
     * (--keep-old-passwords, the writer switched, up); then the same deployment moves to ACL users in place
     * (--keep-old-passwords, the writer switched to app and discovery, up). No task is replaced, no failover,
     * no write fails; the old passwords, then the default user, are refused on every node.
     */
    @Test
    @Order(4)
    void passwordsRotateThenMoveToUsersInPlaceWithoutANewTaskOrAFailover() throws Exception {
        com.fasterxml.jackson.databind.JsonNode connect = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(cli.run("connect", "--output", "json").out());
        java.util.Map<String, String> addressMap = new java.util.HashMap<>();
        connect.get("addressMap").fields().forEachRemaining(e -> addressMap.put(e.getKey(), e.getValue().asText()));
        java.util.Set<redis.clients.jedis.HostAndPort> sentinels = new java.util.HashSet<>();
        connect.get("sentinels").forEach(n -> sentinels.add(redis.clients.jedis.HostAndPort.from(n.asText())));
        // 0: the first passwords, 1: the rotated ones, 2: the users
        java.util.concurrent.atomic.AtomicInteger stage = new java.util.concurrent.atomic.AtomicInteger();
        var master = loggingIn(addressMap, () -> new redis.clients.jedis.DefaultRedisCredentials(
                stage.get() == 2 ? "app" : null, new String[] {PASSWORD, NEW_PASSWORD, "app-Sw2-pw_9"}[stage.get()]));
        var discovery = loggingIn(addressMap, () -> new redis.clients.jedis.DefaultRedisCredentials(stage.get() == 2
                ? "discovery" : null, new String[] {SENTINEL_PASSWORD, NEW_SENTINEL_PASSWORD, "discovery-Sw2-pw_9"}[stage.get()]));
        List<String> ids = containers();
        for (int h = 1; h <= 3; h++) {
            assertTrue(protection(h).equals("600\n" + SENTINEL_PASSWORD),
                    "the restart protection's copy of the Sentinel password in the data volume on host " + h);
        }
        String epoch;
        try (Jedis s = sentinelOn(1)) {
            epoch = s.sentinelMaster("mymaster").get("config-epoch");
        }
        List<Cli.Result> results = new ArrayList<>();
        PacedWriter writer;
        long rotationMillis;
        long migrationMillis;
        try (redis.clients.jedis.JedisSentineled client = new redis.clients.jedis.JedisSentineled("mymaster", master,
                sentinels, discovery)) {
            writer = PacedWriter.start("it-sw2-rotation-writer", n -> client.set("w:" + n, Long.toString(n)));
            Thread.sleep(1000);
            long start = System.nanoTime();
            secret("redis.pass", NEW_PASSWORD);
            secret("sentinel.pass", NEW_SENTINEL_PASSWORD);
            upInTwoSteps(cli, results, () -> stage.set(1));
            rotationMillis = (System.nanoTime() - start) / 1_000_000;
            for (int h = 1; h <= 3; h++) {
                for (int port : new int[] {6379, 26379}) {
                    String kind = port == 6379 ? "Redis" : "Sentinel";
                    try (Jedis j = new Jedis("127.0.0.1", port + 100 * h, 3000)) {
                        org.junit.jupiter.api.Assertions.assertThrows(
                                redis.clients.jedis.exceptions.JedisAccessControlException.class,
                                () -> j.auth(port == 6379 ? PASSWORD : SENTINEL_PASSWORD), "the old password, " + kind + " on host " + h);
                        assertEquals("OK", j.auth(port == 6379 ? NEW_PASSWORD : NEW_SENTINEL_PASSWORD), kind + " on host " + h);
                    }
                }
                // a restarted task's protection reads the new Sentinel password from its data volume, mode 600
                assertTrue(protection(h).equals("600\n" + NEW_SENTINEL_PASSWORD), "the restart protection's copy on host " + h);
            }

            start = System.nanoTime();
            for (String user : List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery", "app")) {
                secret(user + ".pass", user + "-Sw2-pw_9");
            }
            String topology = Files.readString(cli.topology());
            Files.writeString(cli.topology(), topology.substring(0, topology.indexOf("auth:")) + AclUsersIT.COMPONENT_USERS
                    + "    app: {password-file: app.pass, rules: \"~w:* +@all -@dangerous\"}\n");
            upInTwoSteps(cli, results, () -> stage.set(2));
            migrationMillis = (System.nanoTime() - start) / 1_000_000;
            Thread.sleep(1000);
            writer.stop();
        }
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        System.out.printf("Swarm: passwords rotated in %d ms, moved to users in %d ms; %d writes at 50/s, %d failed;"
                + " load %s%n", rotationMillis, migrationMillis, writer.writes(), writer.failed(), load);
        assertEquals(0, writer.failed(), () -> "failed writes, the first: " + writer.firstFailure());
        assertEquals(ids, containers(), "no task may be replaced");
        for (Cli.Result r : results) {
            assertTrue(!(r.out() + r.err()).contains("Rot4te") && !(r.out() + r.err()).contains("pw_9")
                    && !(r.out() + r.err()).contains("it-sw2-redis-pw"), "output shows a password: " + r);
        }
        for (int h = 1; h <= 3; h++) {
            for (int port : new int[] {6379, 26379}) {
                try (Jedis j = new Jedis("127.0.0.1", port + 100 * h, 3000)) {
                    org.junit.jupiter.api.Assertions.assertThrows(redis.clients.jedis.exceptions.JedisAccessControlException.class,
                            () -> j.auth(port == 6379 ? NEW_PASSWORD : NEW_SENTINEL_PASSWORD), "the default user on host " + h);
                    assertEquals("OK", j.auth("redisha", "redisha-Sw2-pw_9"));
                    if (port == 26379) {
                        assertEquals(epoch, j.sentinelMaster("mymaster").get("config-epoch"), "no failover may happen");
                    }
                }
            }
            // what a restarted task's protection sends, from its data volume: the Sentinels answer user redisha
            String asked = SwarmIT.lab("docker", Integer.toString(h), "exec", redisContainerOn(h), "sh", "-c",
                    "REDISCLI_AUTH=$(cat /data/.redisha-sentinel-auth) redis-cli --no-auth-warning"
                    + " --user $(cat /data/.redisha-auth-user) -h " + cli.project() + "-sentinel-" + h
                    + " -p 26379 --raw SENTINEL get-master-addr-by-name mymaster");
            assertTrue(asked.strip().matches("[0-9.]+\\s+6379"), "the protection's credential on host " + h + ": " + asked);
            try (Jedis j = new Jedis("127.0.0.1", 6379 + 100 * h, 3000)) {
                assertEquals("OK", j.auth("app", "app-Sw2-pw_9"));
                assertEquals("1", j.get("w:1"), "app reads the writer's keys on host " + h);
                org.junit.jupiter.api.Assertions.assertThrows(redis.clients.jedis.exceptions.JedisDataException.class,
                        () -> j.get("other:1"), "app reads its own keys only");
            }
        }
    }

    @Test
    @Order(5)
    void downWithVolumesRemovesTheProjectsVolumesOnEveryHostAndNothingElse() throws Exception {
        String decoy = "it-sw2-decoy-" + cli.project().substring(cli.project().lastIndexOf('-') + 1);
        SwarmIT.lab("docker", "2", "volume", "create", "--label", "io.redisha.project=" + decoy, decoy + "-data");
        SwarmIT.lab("docker", "3", "volume", "create", cli.project() + "-unlabelled");
        try {
            for (int h = 1; h <= 3; h++) {
                assertTrue(!volumesOn(h, cli.project()).isEmpty(), "host " + h + " holds volumes of the project");
            }
            Cli.Result down = cli.run("down", "--volumes");
            assertEquals(0, down.exitCode(), down.toString());
            assertTrue(down.err().contains("removing volume lab-host-"), down.toString());
            for (int h = 1; h <= 3; h++) {
                assertEquals("", volumesOn(h, cli.project()), "no volume of the project left on host " + h);
            }
            assertEquals(decoy + "-data", volumesOn(2, decoy), "another project's volume stays");
            assertTrue(SwarmIT.lab("docker", "3", "volume", "ls", "-q").contains(cli.project() + "-unlabelled"),
                    "an unlabelled volume stays, whatever its name");
        } finally {
            SwarmIT.lab("docker", "2", "volume", "rm", decoy + "-data");
            SwarmIT.lab("docker", "3", "volume", "rm", cli.project() + "-unlabelled");
        }
    }

    /** {@code up --keep-old-passwords}, then what the clients do between the two, then {@code up}: both must pass. */
    private static void upInTwoSteps(Cli cli, List<Cli.Result> results, Runnable between) {
        for (String[] args : new String[][] {{"up", "--keep-old-passwords"}, {"up"}}) {
            Cli.Result result = cli.run(args);
            results.add(result);
            assertEquals(0, result.exitCode(), result.toString());
            if (args.length == 2) {
                between.run();
            }
        }
    }
}
