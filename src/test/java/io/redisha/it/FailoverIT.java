package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * failover-test on the real engine. One healthy deployment is failed over with every fault and for
 * several rounds; deployments that cannot fail over get their own project. What redisha reports
 * is checked against the engine and plain Jedis, not against redisha's own code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class FailoverIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Sentinel's down-after-milliseconds of every deployment here: 2 s instead of the default 5 s, so
     * that each round waits less for detection. The report must give the topology's value, and no
     * failover may beat it; the default timings are those of EverydayCommandsIT, FailoverWhileIT and
     * HardeningIT, which run failover-test on the default topology.
     */
    private static final int DOWN_AFTER_MS = 2000;
    private static final String TIMINGS = "sentinels:\n  down-after-milliseconds: " + DOWN_AFTER_MS + "\n";

    @RegisterExtension
    static final Deployment deployment = Deployment.of("it-fo", TIMINGS).up();

    /** The Sentinel phases in causal order; each is published after the one before it. */
    private static final List<String> SENTINEL_ORDER = List.of("sdown", "odown", "leader", "promoted", "switch");

    static JsonNode json(Cli.Result result) throws Exception {
        return JSON.readTree(result.out());
    }

    static String nameOf(Container c) {
        return c.getNames()[0].substring(1);
    }

    /** No container of the project is paused, stopped or cut off its network. */
    static void assertNothingLeftBroken(String project) {
        for (Container c : Engine.containers(project)) {
            InspectContainerResponse inspect = Engine.inspect(c.getId());
            assertFalse(Boolean.TRUE.equals(inspect.getState().getPaused()), nameOf(c) + " is paused");
            assertTrue(Boolean.TRUE.equals(inspect.getState().getRunning()), nameOf(c) + " is not running");
            assertTrue(inspect.getNetworkSettings().getNetworks().containsKey(project + "-net"),
                    nameOf(c) + " is not on the project's network");
        }
    }

    static void stopSentinels(String project, int... indexes) {
        for (int i : indexes) {
            Engine.client().stopContainerCmd(Engine.container(project, "sentinel", i).getId()).withTimeout(2).exec();
        }
    }

    static long phase(JsonNode round, String key) {
        for (JsonNode p : round.get("phases")) {
            if (p.get("key").asText().equals(key)) {
                assertFalse(p.get("atMs").isNull(), "phase " + key + " was observed: " + round);
                return p.get("atMs").asLong();
            }
        }
        throw new AssertionError("no phase " + key + " in " + round);
    }

    /** The phases of a passed round are all observed and in causal order, and the write accounting adds up. */
    /** How far apart two threads of this process may learn of what Sentinel sent in one turn. */
    private static final long SAME_TURN_MS = 50;

    static void assertPassedRound(JsonNode round) {
        assertEquals("PASS", round.get("outcome").asText(), round::toString);
        long previous = 0;
        for (String key : SENTINEL_ORDER) {
            long at = phase(round, key);
            assertTrue(at >= previous, key + " at " + at + " ms comes after the phase before (" + previous + " ms)");
            previous = at;
        }
        // a client may write to the promoted node before +switch-master: Sentinel already names it
        // while it reconfigures the other replicas; never before the promotion. Both times are when this
        // process learned of them, in two threads: Sentinel sends +promoted-slave and the answers that
        // name the new master in the same turn, and the writer's thread can be first by a few ms (seen:
        // 1 ms under load)
        assertTrue(phase(round, "first-write") >= phase(round, "promoted") - SAME_TURN_MS, round::toString);
        assertTrue(phase(round, "rejoined") >= phase(round, "switch"), round::toString);
        assertTrue(phase(round, "ready") >= phase(round, "rejoined"), round::toString);
        assertTrue(phase(round, "ready") >= phase(round, "first-write"), round::toString);
        if ("restart-fast".equals(round.get("fault").asText())) {
            // the engine restarted the node at once: nothing for redisha to undo, so no time of undoing
            assertTrue(round.get("healedAtMs").isNull() && round.get("healed").isNull(), round::toString);
        } else {
            assertTrue(round.get("healedAtMs").asLong() >= phase(round, "switch"), "healed after the switch");
            assertFalse(round.get("healed").asText().isEmpty(), "what undid the fault: " + round);
        }
        for (JsonNode check : round.get("checks")) {
            assertEquals("PASS", check.get("status").asText(), check::toString);
        }
        JsonNode w = round.get("writes");
        assertTrue(w.get("acknowledged").asLong() > 0, w::toString);
        assertEquals(w.get("attempted").asLong(),
                w.get("acknowledged").asLong() + w.get("failed").asLong() + w.get("unknown").asLong(), w::toString);
        assertFalse(w.get("lost").isNull(), "writes were read back: " + w);
        assertEquals(w.get("acknowledged").asLong(), w.get("readBack").asLong() + w.get("lost").asLong(), w::toString);
        assertTrue(w.get("longestGapMs").asLong() >= 1000, "writes stopped during the failover: " + w);
    }

    // ---- one healthy deployment, failed over with every fault ------------------------------

    /** Starts each case from a ready deployment, whatever the case before it left. */
    private Container readyMaster() {
        Cli.Result up = deployment.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Probe.assertReady(deployment.project(), 2, 3);
        return Probe.master(deployment.project());
    }

    @Test
    @Order(1)
    void disconnectOfTheMasterServiceContainerPassesAndItRejoinsWithItsAlias() throws Exception {
        Container before = readyMaster();
        assertEquals(deployment.project() + "-master-1", nameOf(before));
        Cli.Result result = deployment.run("failover-test", "--fault", "disconnect", "--output", "json");
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode round = json(result).get("rounds").get(0);
        assertPassedRound(round);
        assertEquals(nameOf(before), round.get("oldMaster").asText());

        assertNothingLeftBroken(deployment.project());
        ContainerNetwork net = Engine.inspect(before.getId()).getNetworkSettings().getNetworks().get(deployment.project() + "-net");
        assertTrue(net.getAliases().contains("redis-master"), "reconnected with the master alias: " + net.getAliases());
        assertNotEquals(nameOf(before), nameOf(Probe.master(deployment.project())));
        Probe.assertReady(deployment.project(), 2, 3);
    }

    /**
     * The default fault, for two rounds in a row: the second fails over from
     * the master the first promoted, and the JSON report, the HTML report and the engine agree.
     */
    @Test
    @Order(2)
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pauseTwoRoundsInARowPassTheSecondFromTheMasterTheFirstPromotedAndTheReportsAgree(@TempDir Path dir)
            throws Exception {
        Container before = readyMaster();
        Path html = dir.resolve("failover.html");
        Cli.Result result = deployment.run("failover-test", "--rounds", "2", "--output", "json", "--report", html.toString());
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode report = json(result);
        assertEquals("PASS", report.get("outcome").asText());
        assertEquals("pause", report.get("fault").asText());
        assertEquals(DOWN_AFTER_MS, report.get("downAfterMilliseconds").asInt(), "the topology's, not the default");
        JsonNode rounds = report.get("rounds");
        assertEquals(2, rounds.size());
        for (JsonNode round : rounds) {
            assertPassedRound(round);
            assertTrue(phase(round, "switch") >= DOWN_AFTER_MS, "no failover beats down-after-milliseconds");
            assertNotEquals(round.get("oldMaster").asText(), round.get("newMaster").asText(), "the master changed");
        }
        assertEquals(rounds.get(0).get("newMaster").asText(), rounds.get(1).get("oldMaster").asText(),
                "round 2 starts from the master round 1 promoted");

        Container after = Probe.master(deployment.project());
        assertEquals(nameOf(before), rounds.get(0).get("oldMaster").asText());
        assertEquals(nameOf(after), rounds.get(1).get("newMaster").asText());
        assertNothingLeftBroken(deployment.project());
        Probe.assertReady(deployment.project(), 2, 3);
        try (Jedis master = Probe.redis(after.getId())) {
            assertTrue(master.keys("redisha:ft:*").isEmpty(), "the test's keys were deleted");
        }

        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<svg"), "timeline chart");
        assertFalse(page.contains("<script"), "no scripts");
        assertTrue(page.contains(nameOf(after)));
    }

    @Test
    @Order(3)
    void killPassesAndTheOldMasterRejoinsAsAReplicaWhileEventsAndStatusWatchFollowIt() throws Exception {
        Container before = readyMaster();
        // redisha events and status --watch (no terminal: appended tables) run beside the failover
        var events = java.util.concurrent.CompletableFuture.supplyAsync(() -> deployment.run("events", "--output", "json",
                "--until", "+switch-master", "--timeout", "90"));
        java.util.concurrent.atomic.AtomicReference<Thread> watcher = new java.util.concurrent.atomic.AtomicReference<>();
        var watch = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            watcher.set(Thread.currentThread());
            return deployment.run("status", "--watch", "--interval", "0.5");
        }, runnable -> new Thread(runnable, "status-watch").start());
        Thread.sleep(3000); // both listening before the fault
        Cli.Result result = deployment.run("failover-test", "--fault", "kill", "--output", "json");
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode round = json(result).get("rounds").get(0);
        assertPassedRound(round);

        Cli.Result seen = events.get(30, TimeUnit.SECONDS);
        assertEquals(0, seen.exitCode(), seen::toString);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : seen.out().lines().toList()) {
            lines.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
        }
        String oldMaster = Engine.ip(before.getId()) + " 6379";
        List<String> order = new ArrayList<>();
        for (JsonNode e : lines) {
            String type = e.get("type").asText();
            String message = e.get("message").asText();
            boolean aboutOldMaster = message.startsWith("master mymaster " + oldMaster) || type.equals("+switch-master");
            if (aboutOldMaster && List.of("+sdown", "+odown", "+switch-master").contains(type)) {
                order.add(type);
                assertTrue(e.get("witnesses").size() >= 1, e::toString);
            }
        }
        assertEquals(List.of("+sdown", "+odown", "+switch-master"), order, "each once, in order: " + seen.out());
        JsonNode switched = lines.get(lines.size() - 1);
        assertEquals("+switch-master", switched.get("type").asText(), "--until ends at it");
        // the Sentinels that told it within half a second (the last one may learn it later, from the others' hellos)
        assertTrue(switched.get("witnesses").size() >= 1, switched::toString);
        switched.get("witnesses").forEach(w -> assertTrue(w.asText().startsWith(deployment.project() + "-sentinel-"), w::toString));

        Thread.sleep(1500);
        watcher.get().interrupt();
        Cli.Result watched = watch.get(30, TimeUnit.SECONDS);
        assertEquals(0, watched.exitCode(), watched::toString);
        List<String> masters = watched.out().lines().filter(l -> l.startsWith("master: ")).toList();
        assertTrue(masters.size() >= 2, "a new table after the failover:\n" + watched.out());
        assertNotEquals(masters.get(0), masters.get(masters.size() - 1), watched.out());
        assertTrue(watched.out().contains("(last change "), watched.out());

        assertNothingLeftBroken(deployment.project());
        Container after = Probe.master(deployment.project());
        assertNotEquals(before.getId(), after.getId());
        try (Jedis old = Probe.redis(before.getId())) {
            Map<String, String> info = Probe.info(old);
            assertEquals("slave", info.get("role"));
            assertEquals(Engine.ip(after.getId()), info.get("master_host"), "replicates from the new master");
            assertEquals("up", info.get("master_link_status"));
        }
        Probe.assertReady(deployment.project(), 2, 3);
    }

    // ---- deployments that cannot fail over, each its own project ----------------------------

    /**
     * Each of these waits for a failover that must not come: what proves its absence is a window
     * several times as long as detection (--timeout 10, five times down-after-milliseconds, where a
     * failover of the healthy deployment above is announced within about twice it).
     */
    private static final String CANNOT_FAIL_OVER = TIMINGS;

    /**
     * One deployment with two of its three Sentinels stopped, below the quorum of 2: a paused master
     * is not failed over and is unpaused, then a stopped one is left stopped (no failover can come)
     * and up restores it as a replica, with the data.
     */
    @Test
    @Order(5)
    void withTwoOfThreeSentinelsStoppedThereIsNoFailoverAPausedMasterIsUnpausedAndAStoppedOneIsLeftStoppedForUp()
            throws Exception {
        Cli broken = deployment.create("it-fo-quorum", CANNOT_FAIL_OVER);
        Cli.Result up = broken.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Container master = Probe.master(broken.project());
        stopSentinels(broken.project(), 2, 3);

        Cli.Result result = broken.run("failover-test", "--timeout", "10", "--output", "json");
        assertEquals(7, result.exitCode(), result::toString);
        JsonNode report = json(result);
        assertEquals("NO_FAILOVER", report.get("outcome").asText());
        JsonNode round = report.get("rounds").get(0);
        assertEquals("NO_FAILOVER", round.get("outcome").asText());
        assertNull(round.get("newMaster").textValue());
        String reason = round.get("reason").asText();
        assertTrue(reason.startsWith("no +switch-master within 10 s"), reason);
        assertTrue(reason.contains("quorum"), "the reason names the missing quorum: " + reason);
        assertEquals("FAIL", round.get("checks").get(0).get("status").asText());

        InspectContainerResponse.ContainerState state = Engine.inspect(master.getId()).getState();
        assertFalse(state.getPaused(), "the master was unpaused");
        assertTrue(state.getRunning());
        assertEquals(master.getId(), Probe.master(broken.project()).getId(), "still the master");

        // the same deployment, its master stopped: no failover can happen; started again
        // (persistence off) the master would be empty and its replicas would copy that
        Probe.writeKeys(master.getId(), "keep:", 100, 2);
        Cli.Result stopped = broken.run("failover-test", "--fault", "stop", "--timeout", "10", "--output", "json");
        assertEquals(7, stopped.exitCode(), stopped::toString);
        JsonNode stopRound = json(stopped).get("rounds").get(0);
        assertTrue(stopRound.get("notes").toString().contains(nameOf(master) + " was left stopped"), stopped::toString);
        assertFalse(Engine.inspect(master.getId()).getState().getRunning(), "the master stayed stopped");
        for (int i = 1; i <= 2; i++) {
            try (Jedis r = Probe.redis(Engine.container(broken.project(), "replica", i).getId())) {
                assertEquals(100, r.keys("keep:*").size(), "the replicas kept the data");
            }
        }

        Cli.Result repaired = broken.run("up");
        assertEquals(0, repaired.exitCode(), repaired::toString);
        assertTrue(repaired.err().contains("not starting " + nameOf(master) + " yet"), repaired::toString);
        Probe.assertReady(broken.project(), 2, 3);
        Container now = Probe.master(broken.project());
        assertNotEquals(master.getId(), now.getId());
        try (Jedis m = Probe.redis(now.getId()); Jedis old = Probe.redis(master.getId())) {
            assertEquals(100, m.keys("keep:*").size(), "no key lost");
            assertEquals(100, old.keys("keep:*").size(), "the old master rejoined with the data");
        }
    }

    @Test
    @Order(6)
    void withoutAReplicaThereIsNoFailoverAndTheReasonSaysSo() throws Exception {
        Cli broken = deployment.create("it-fo-alone", "replicas: 0\n" + CANNOT_FAIL_OVER);
        Cli.Result up = broken.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Container master = Probe.master(broken.project());

        Cli.Result result = broken.run("failover-test", "--timeout", "10", "--writes", "0");
        assertEquals(7, result.exitCode(), result::toString);
        assertTrue(result.out().contains("RESULT: FAIL: no failover"), result::toString);
        assertTrue(result.out().contains("FAIL  failover: no +switch-master within 10 s"), result::toString);
        assertTrue(result.out().contains("no replica it could promote"), result::toString);
        assertFalse(Engine.inspect(master.getId()).getState().getPaused(), "the master was unpaused");
        assertNotNull(Probe.master(broken.project()));
    }
}
