package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * failover-test --fault partition on the real engine: the master is cut off from its Sentinels and
 * replicas but keeps serving the host's clients, and what it acknowledges then is lost. A client of
 * the test's own writes to the isolated master through its published port and reads its keys back
 * afterwards, so that the loss is seen independently of redisha's accounting.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class PartitionIT {
    private static final Path JAR = Cli.JAR;
    /** down-after 3000 + failover-timeout 5000 + redisha's margin of 5 s. */
    private static final long DEFAULT_PARTITION_MS = 13_000;

    @RegisterExtension
    static final Deployment deployment = Deployment.of("it-part", """
                    sentinels:
                      down-after-milliseconds: 3000
                      failover-timeout: 5000
                    """).up().within(Duration.ofMinutes(4));

    /** What the sticky client lost in the first partition, without min-replicas-to-write. */
    private static long stickyLostWithoutMinReplicas = -1;

    private static String network() {
        return deployment.project() + "-net";
    }

    private static String sideNetwork() {
        return deployment.project() + "-partition";
    }

    private static Map<String, ContainerNetwork> networksOf(String id) {
        return Engine.inspect(id).getNetworkSettings().getNetworks();
    }

    private static boolean isolated(String id) {
        Map<String, ContainerNetwork> networks = networksOf(id);
        return networks.containsKey(sideNetwork()) && !networks.containsKey(network());
    }

    /** The project's network alone, every node on it, and the side network gone. */
    private static void assertNothingLeftIsolated() {
        List<String> names = Engine.networks(deployment.project()).stream().map(Network::getName).toList();
        assertEquals(List.of(network()), names, "only the project's network is left");
        for (Container c : Engine.containers(deployment.project())) {
            assertEquals(List.of(network()), List.copyOf(networksOf(c.getId()).keySet()), c.getNames()[0]);
        }
    }

    private Container readyMaster() {
        Cli.Result up = deployment.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Probe.assertReady(deployment.project(), 2, 3);
        return Probe.master(deployment.project());
    }

    /**
     * Writes through the master's published port, as an application on the host would, connecting
     * again to wherever the container is published when its connection drops; records which
     * acknowledged writes the master took while it was isolated (seen so before and after the write).
     */
    private static final class OwnClient implements Runnable {
        private final String masterId;
        private final List<String> acknowledged = new ArrayList<>();
        private final List<String> acknowledgedIsolated = new ArrayList<>();
        private volatile boolean running = true;
        private final Thread thread = new Thread(this, "it-own-client");

        OwnClient(String masterId) {
            this.masterId = masterId;
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        @Override
        public void run() {
            int seq = 0;
            Jedis jedis = null;
            while (running) {
                String key = "it-part:own:" + seq++;
                try {
                    boolean isolatedBefore = isolated(masterId);
                    if (jedis == null) {
                        jedis = new Jedis("127.0.0.1", Engine.hostPort(masterId, 6379), 1000);
                    }
                    if ("OK".equals(jedis.set(key, key))) {
                        acknowledged.add(key);
                        if (isolatedBefore && isolated(masterId)) {
                            acknowledgedIsolated.add(key);
                        }
                    }
                } catch (RuntimeException | AssertionError e) {
                    if (jedis != null) {
                        jedis.close();
                        jedis = null;
                    }
                }
                sleep(100);
            }
            if (jedis != null) {
                jedis.close();
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Each client's figures add up: every write has one outcome, every acknowledged one was read back or lost. */
    private static void assertWritesAddUp(JsonNode w) {
        assertEquals(w.get("attempted").asLong(), w.get("acknowledged").asLong() + w.get("failed").asLong()
                + w.get("unknown").asLong() + w.get("unconfirmed").asLong(), w::toString);
        assertFalse(w.get("lost").isNull(), "writes were read back: " + w);
        assertEquals(w.get("acknowledged").asLong(), w.get("readBack").asLong() + w.get("lost").asLong(), w::toString);
    }

    @Test
    @Order(1)
    void theIsolatedMasterKeepsAcknowledgingWritesThatAreLostWhenItRejoinsAsAReplica() throws Exception {
        Container before = readyMaster();
        String masterId = before.getId();
        String address = networksOf(masterId).get(network()).getIpAddress();
        OwnClient own = new OwnClient(masterId);
        own.start();
        Cli.Result result;
        try {
            result = deployment.run("failover-test", "--fault", "partition", "--writes", "50", "--output", "json");
        } finally {
            own.stop();
        }
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode report = FailoverIT.json(result);
        assertEquals(DEFAULT_PARTITION_MS / 1000.0, report.get("partitionSeconds").asDouble(), result::toString);
        JsonNode round = report.get("rounds").get(0);
        FailoverIT.assertPassedRound(round);
        assertNotEquals(before.getNames()[0].substring(1), round.get("newMaster").asText());
        assertTrue(round.get("healedAtMs").asLong() >= DEFAULT_PARTITION_MS, "the partition lasted its default length: "
                + round.get("healedAtMs"));

        // both sides took writes; what the isolated master acknowledged after the switch is all lost
        JsonNode sticky = round.get("sticky");
        assertEquals("sticky", sticky.get("client").asText());
        assertWritesAddUp(sticky);
        assertWritesAddUp(round.get("writes"));
        JsonNode split = sticky.get("afterSwitch");
        assertEquals(before.getNames()[0].substring(1), split.get("oldMaster").asText());
        assertTrue(split.get("acknowledged").asLong() > 0, "the isolated master acknowledged writes after the switch: " + split);
        assertEquals(0, split.get("survived").asLong(), split::toString);
        assertEquals(split.get("acknowledged").asLong(), split.get("lost").asLong(), split::toString);
        assertTrue(sticky.get("lost").asLong() >= split.get("lost").asLong(), sticky::toString);
        stickyLostWithoutMinReplicas = sticky.get("lost").asLong();
        assertTrue(split.get("lastAtMs").asLong() > phaseSwitch(round), split::toString);

        // the test's own client saw the same through the published port, and its keys are gone everywhere
        assertFalse(own.acknowledgedIsolated.isEmpty(), "the isolated master acknowledged the test's own writes "
                + "through its published port (acknowledged: " + own.acknowledged.size() + ")");
        for (Container node : Engine.containers(deployment.project())) {
            if ("sentinel".equals(node.getLabels().get("io.redisha.service"))) {
                continue;
            }
            try (Jedis jedis = Probe.redis(node.getId())) {
                for (String key : own.acknowledgedIsolated) {
                    assertNull(jedis.get(key), key + " acknowledged by the isolated master is on " + node.getNames()[0]);
                }
            }
        }

        // the old master is a replica again, on the project's network with its address, and nothing is left isolated
        Probe.assertReady(deployment.project(), 2, 3);
        try (Jedis old = Probe.redis(masterId)) {
            assertEquals("slave", Probe.info(old).get("role"));
        }
        assertEquals(address, networksOf(masterId).get(network()).getIpAddress(), "the old master kept its address");
        assertNothingLeftIsolated();
        assertEquals(6, Engine.containers(deployment.project()).size());
    }

    private static long phaseSwitch(JsonNode round) {
        return FailoverIT.phase(round, "switch");
    }

    @Test
    @Order(3)
    void withWaitReplicasTheIsolatedMasterAcknowledgesNothingAfterTheSwitch() throws Exception {
        readyMaster();
        Cli.Result result = deployment.run("failover-test", "--fault", "partition", "--partition-seconds", "9",
                "--wait-replicas", "1", "--writes", "50", "--output", "json");
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode report = FailoverIT.json(result);
        assertEquals(1, report.get("waitReplicas").asInt());
        JsonNode round = report.get("rounds").get(0);
        for (String client : List.of("writes", "sticky")) {
            JsonNode w = round.get(client);
            assertEquals(1, w.get("waitReplicas").asInt(), w::toString);
            assertWritesAddUp(w);
            assertTrue(w.get("acknowledged").asLong() > 0, w::toString);
        }
        JsonNode sticky = round.get("sticky");
        // with no replica on its side, WAIT 1 never confirms a write of the isolated master
        assertTrue(sticky.get("unconfirmed").asLong() > 0, sticky::toString);
        assertEquals(0, sticky.get("afterSwitch").get("acknowledged").asLong(), sticky::toString);
        assertNothingLeftIsolated();
    }

    /** Sets both on every Redis server of the deployment, as the topology's master keys would. */
    private static void minReplicasToWrite(int replicas, int maxLag) {
        for (Container node : Engine.containers(deployment.project())) {
            if (!"sentinel".equals(node.getLabels().get("io.redisha.service"))) {
                try (Jedis jedis = Probe.redis(node.getId())) {
                    jedis.configSet("min-replicas-to-write", Integer.toString(replicas), "min-replicas-max-lag",
                            Integer.toString(maxLag));
                }
            }
        }
    }

    @Test
    @Order(2)
    void withMinReplicasToWriteTheIsolatedMasterStopsWithinTheLagAndLosesLess() throws Exception {
        readyMaster();
        int maxLag = 4;
        minReplicasToWrite(1, maxLag);
        Cli.Result result;
        try {
            result = deployment.run("failover-test", "--fault", "partition", "--writes", "50", "--output", "json");
        } finally {
            minReplicasToWrite(0, 10);
        }
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode sticky = FailoverIT.json(result).get("rounds").get(0).get("sticky");
        assertWritesAddUp(sticky);
        long lastAck = sticky.get("afterSwitch").get("lastAckMs").asLong();
        // replicas acknowledge the replication stream every second, Redis counts the lag in whole seconds and
        // recounts its good replicas once a second: the lag is noticed up to about three seconds late
        // (60 s partitions with a lag of 10 s stopped 1.0 to 2.7 s after it)
        assertTrue(lastAck <= maxLag * 1000L + 3500, "the isolated master stopped acknowledging within the lag of "
                + maxLag + " s: its last acknowledged write was at " + lastAck + " ms");
        assertTrue(stickyLostWithoutMinReplicas > 0, "the partition without min-replicas-to-write ran first");
        assertTrue(sticky.get("lost").asLong() < stickyLostWithoutMinReplicas, "less is lost with min-replicas-to-write: "
                + sticky.get("lost") + " against " + stickyLostWithoutMinReplicas + " without");
    }

    @Test
    @Order(4)
    @Timeout(value = 9, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFaultListIsCycledOverTheRoundsAndSummedUpPerFault() throws Exception {
        readyMaster();
        // four mixed rounds in a row: each fault of the list once, the list starting over for the
        // fourth; partition and restart-fast, the faults that leave the most behind, each followed by
        // another kind (kill, stop and disconnect run in a row on one deployment in VersionsIT)
        List<String> faults = List.of("pause", "partition", "restart-fast");
        int rounds = faults.size() + 1;
        Cli.Result result = deployment.run("failover-test", "--fault", String.join(",", faults), "--rounds",
                Integer.toString(rounds), "--writes", "20", "--output", "json");
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode report = FailoverIT.json(result);
        assertEquals(String.join(",", faults), report.get("fault").asText());
        assertEquals(rounds, report.get("rounds").size());
        for (int i = 0; i < rounds; i++) {
            JsonNode round = report.get("rounds").get(i);
            assertEquals(faults.get(i % faults.size()), round.get("fault").asText(), round::toString);
            FailoverIT.assertPassedRound(round);
            assertWritesAddUp(round.get("sticky"));
            if (i > 0) {
                assertEquals(report.get("rounds").get(i - 1).get("newMaster").asText(), round.get("oldMaster").asText(),
                        "round " + (i + 1) + " starts from the master round " + i + " promoted");
            }
        }
        JsonNode summary = report.get("summary");
        assertEquals(faults.size(), summary.size(), summary::toString);
        for (int i = 0; i < faults.size(); i++) {
            JsonNode row = summary.get(i);
            assertEquals(faults.get(i), row.get("fault").asText());
            JsonNode first = report.get("rounds").get(i);
            // the first fault ran twice (rounds 1 and 4), each other fault once
            JsonNode second = i == 0 ? report.get("rounds").get(faults.size()) : null;
            int count = second == null ? 1 : 2;
            assertEquals(count, row.get("rounds").asInt(), row::toString);
            assertEquals(count, row.get("passed").asInt(), row::toString);
            long a = FailoverIT.phase(first, "switch");
            long b = second == null ? a : FailoverIT.phase(second, "switch");
            assertEquals(Math.min(a, b), row.get("medianSwitchMs").asLong(), "the lower middle of two rounds, or the one");
            assertEquals(Math.max(a, b), row.get("worstSwitchMs").asLong());
            long lost = first.get("sticky").get("lost").asLong() + (second == null ? 0 : second.get("sticky").get("lost").asLong());
            assertEquals(lost, row.get("stickyLost").asLong());
        }
        assertNothingLeftIsolated();
        FailoverIT.assertNothingLeftBroken(deployment.project());
    }

    @Test
    @Order(5)
    void aSigkillDuringThePartitionIsHealedByTheNextUp() throws Exception {
        String masterId = readyMaster().getId();
        String address = networksOf(masterId).get(network()).getIpAddress();
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "failover-test", "--fault",
                "partition", "-f", deployment.topology().toString()));
        Transcript.line("$ " + String.join(" ", command) + " (a separate process: only the stderr lines read are shown)");
        Process test = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(test.getErrorStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = err.readLine()) != null && !line.contains("(master); waiting up to")) {
                Transcript.line(line);
            }
            assertTrue(line != null, "failover-test partitioned the master");
        } finally {
            test.destroyForcibly(); // no shutdown hook runs: the partition stays
        }
        assertTrue(test.waitFor(10, TimeUnit.SECONDS));
        assertTrue(isolated(masterId), "the partition is still in place after the SIGKILL: " + networksOf(masterId).keySet());

        Cli.Result up = deployment.run("up", "--timeout", "120");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("removed network " + sideNetwork()), up::toString);
        assertNothingLeftIsolated();
        assertEquals(address, networksOf(masterId).get(network()).getIpAddress(), "the old master kept its address");
        Probe.assertReady(deployment.project(), 2, 3);
        Probe.master(deployment.project());
    }
}
