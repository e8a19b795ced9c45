package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A single-engine deployment heals itself (the engine's restart policy, the start script's
 * protection): a master's process killed from the host, a master restarted while every Sentinel
 * is away, a node in a crash loop. Checked through plain Jedis and the engine; each case prints
 * its measured time to ready and the keys kept.
 * <p>
 * A subclass gives the persistence and registers its deployment of {@link #topology} on a static
 * field, which the {@link Deployment} extension brings up before the first case and removes after
 * the last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
abstract class SelfHealCases {
    static final int KEYS = 100;

    /** The deployment the cases walk through, of {@link #topology} with {@link #persistence()}. */
    abstract Deployment deployment();

    /** The topology's persistence: off, rdb or aof. */
    abstract String persistence();

    /** Whether a master killed and back at once is replaced by a promoted replica (it is when it lost its data). */
    abstract boolean promotesAfterKill();

    /** The topology of the cases: the given persistence, Sentinels that detect and fail over within seconds. */
    static String topology(String persistence) {
        return """
                persistence: %s
                sentinels:
                  down-after-milliseconds: 3000
                  failover-timeout: 5000
                """.formatted(persistence);
    }

    /** Keys written to the master and acknowledged by both replicas; with AOF also on disk (fsync every second). */
    void write(Container master, String prefix) throws InterruptedException {
        Probe.writeKeys(master.getId(), prefix, KEYS, 2);
        if (!"off".equals(persistence())) {
            Thread.sleep(1500);
        }
    }

    @Test
    @Order(1)
    void aNodeWithoutTheRestartPolicyGetsItInPlaceFromUp() {
        Container replica = Probe.byService(deployment().project(), "replica").get(0);
        assertEquals("unless-stopped", Engine.inspect(replica.getId()).getHostConfig().getRestartPolicy().getName());
        String settings = replica.getLabels().get("io.redisha.settings");
        // as an older redisha created it (Testcontainers' docker-java cannot update a restart policy)
        Heal.docker("update", "--restart", "no", replica.getId());
        assertEquals("no", Engine.inspect(replica.getId()).getHostConfig().getRestartPolicy().getName());

        Cli.Result up = deployment().run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("set so in place"), up::toString);
        var inspect = Engine.inspect(replica.getId());
        assertEquals("unless-stopped", inspect.getHostConfig().getRestartPolicy().getName(), "the same container, updated");
        assertEquals(settings, inspect.getConfig().getLabels().get("io.redisha.settings"));
        Cli.Result again = deployment().run("up");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(!again.err().contains("set so in place"), again::toString);
    }

    @Test
    @Order(2)
    void aMasterKilledFromTheHostComesBackByItselfAndTheDeploymentIsReadyWithoutUp() throws Exception {
        Container old = Probe.master(deployment().project());
        String prefix = "it-heal-kill:";
        write(old, prefix);
        int restartsBefore = Heal.restartCount(old.getId());

        long start = System.nanoTime();
        long pid = Heal.killServerFromHost(old.getId());

        Poll<Void> back = Await.quietly().until(Await.deadline(Duration.ofSeconds(30)), () -> {
            var state = Engine.inspect(old.getId()).getState();
            return Poll.unless(Boolean.TRUE.equals(state.getRunning()) && Heal.restartCount(old.getId()) > restartsBefore
                    ? null : "status " + state.getStatus() + ", restarts " + Heal.restartCount(old.getId()));
        });
        assertTrue(back.done(), "the engine started it again: " + back.missing());
        double backSeconds = (System.nanoTime() - start) / 1e9;
        Poll<Void> ready = Await.quietly().until(Await.deadline(Duration.ofSeconds(90)),
                () -> Heal.statusReady(deployment().cli()));
        assertTrue(ready.done(), "ready without up: " + ready.missing());
        double readySeconds = (System.nanoTime() - start) / 1e9;

        Container master = Probe.master(deployment().project());
        if (promotesAfterKill()) {
            assertNotEquals(old.getId(), master.getId(), "a replica was promoted");
            Poll<Void> following = Await.quietly().until(Await.deadline(Duration.ofSeconds(30)), () -> Heal.replicaUp(old.getId()));
            assertTrue(following.done(), "the old master rejoins as a replica: " + following.missing());
        }
        Map<String, String> missing = Heal.awaitKeysEverywhere(deployment().project(), prefix, KEYS, Duration.ofSeconds(30));
        assertEquals(Map.of(), missing, "keys written before the kill, missing per node");
        Probe.assertReady(deployment().project(), 2, 3);
        System.out.printf("heal[%s] process crash (kill -9 of PID %d from the host): back in %.1f s, ready in %.1f s,"
                        + " master %s, %d of %d keys on every node%n", persistence(), pid, backSeconds, readySeconds,
                master.getId().equals(old.getId()) ? "kept" : "promoted", KEYS, KEYS);

        JsonNode status = json(deployment().run("status", "--output", "json"));
        JsonNode entry = start(status, Heal.name(old));
        assertTrue(entry.get("restarts").asInt() >= 1, entry::toString);
        assertTrue(entry.get("lastStart").asText().endsWith("Z"), entry::toString);
        assertTrue(status.get("warnings").toString().contains(Heal.name(old) + " started again"), status::toString);
        Cli.Result text = deployment().run("status");
        assertTrue(text.out().contains("RESTARTS") && text.out().contains("warning: " + Heal.name(old) + " started again"),
                text::toString);
    }

    /**
     * No Sentinel answers the restarted master's start script, which asks the other Redis nodes
     * instead. Without persistence it holds nothing: it makes the replica holding the data (which
     * followed it) the master and follows it, where it would otherwise start as an empty master its
     * replicas copy at once (every key gone on every node within seconds). With an append-only file
     * it starts as configured, with its data.
     */
    @Test
    @Order(3)
    void aMasterRestartedWhileEverySentinelIsAwayLosesNoKey() throws Exception {
        Container master = Probe.master(deployment().project());
        String prefix = "it-heal-away:";
        write(master, prefix);
        List<Container> sentinels = Probe.byService(deployment().project(), "sentinel");
        assertEquals(3, sentinels.size(), "sentinels");
        for (Container s : sentinels) {
            Engine.client().stopContainerCmd(s.getId()).withTimeout(1).exec();
        }
        long start = System.nanoTime();
        Map<String, String> away;
        try {
            Engine.client().restartContainerCmd(master.getId()).withTimeout(0).exec();
            Poll<Void> settled = Await.quietly().until(Await.deadline(Duration.ofSeconds(60)),
                    () -> awayRole(master.getId()));
            assertTrue(settled.done(), "the restarted master " + awayOutcome() + ": " + settled.missing()
                    + "\n" + Engine.logs(master.getId()));
            double settledSeconds = (System.nanoTime() - start) / 1e9;
            List<String> decisions = Engine.logs(master.getId()).lines()
                    .filter(l -> l.startsWith("redisha: no Sentinel answers;")).toList();
            assertTrue(decisions.stream().anyMatch(l -> l.endsWith(awayDecision())),
                    "the start script's decision, " + awayDecision() + ", in " + decisions);
            System.out.printf("heal[%s] Sentinels away, master restarted: %s %.1f s after the restart%n", persistence(),
                    awayOutcome(), settledSeconds);
            // still so a while later: nothing copied an empty master meanwhile
            Thread.sleep(3000);
            assertEquals(Map.of(), Heal.missingKeys(deployment().project(), prefix, KEYS),
                    "keys missing per node 3 s after the restarted master " + awayOutcome());
            away = Heal.awaitKeysEverywhere(deployment().project(), prefix, KEYS, Duration.ofSeconds(30));
            for (Container s : sentinels) {
                assertEquals("exited", Engine.inspect(s.getId()).getState().getStatus(), "a stopped Sentinel stays stopped");
            }
        } finally {
            for (Container s : sentinels) {
                Engine.client().startContainerCmd(s.getId()).exec();
            }
        }
        System.out.printf("heal[%s] Sentinels away, master restarted: missing per node %s%n", persistence(), away);
        assertEquals(Map.of(), away, "keys missing per node while the Sentinels are away");

        Cli.Result up = deployment().run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertEquals(Map.of(), Heal.missingKeys(deployment().project(), prefix, KEYS), "keys missing per node after up");
        Poll<Void> ready = Await.quietly().until(Await.deadline(Duration.ofSeconds(90)),
                () -> Heal.statusReady(deployment().cli()));
        assertTrue(ready.done(), "ready after the Sentinels' return and up: " + ready.missing());
        double readySeconds = (System.nanoTime() - start) / 1e9;
        Probe.assertReady(deployment().project(), 2, 3);
        assertEquals(Map.of(), Heal.missingKeys(deployment().project(), prefix, KEYS), "keys missing per node once ready");
        System.out.printf("heal[%s] Sentinels away, master restarted: %d of %d keys on every node, ready %.1f s after"
                + " the restart (Sentinels started and up)%n", persistence(), KEYS, KEYS, readySeconds);
    }

    /** What a master restarted while every Sentinel is away ends as, by persistence. */
    private String awayOutcome() {
        return awayKeepsMaster() ? "is the master again, with its data" : "is a replica, linked, of a node with the data";
    }

    /** The end of the start script's log line with its decision when no Sentinel answers. */
    private String awayDecision() {
        return awayKeepsMaster()
                ? "this node's aof file is at least as new as the data of the other Redis nodes; starting as configured"
                : "made it the master, following it";
    }

    /** With an append-only file the node holds all but the last second and starts as configured; without, nothing. */
    private boolean awayKeepsMaster() {
        return switch (persistence()) {
            case "off" -> false;
            case "aof" -> true;
            // an RDB snapshot wins or not by its age against the replicas' loss of the master: no single outcome
            default -> throw new IllegalStateException("no expected outcome for persistence " + persistence());
        };
    }

    private Poll<Void> awayRole(String id) {
        try (Jedis r = Probe.redis(id)) {
            if (!"PONG".equals(r.ping())) {
                return Poll.waiting("no PONG");
            }
            Map<String, String> info = Probe.info(r);
            boolean settled = awayKeepsMaster() ? "master".equals(info.get("role"))
                    : "slave".equals(info.get("role")) && "up".equals(info.get("master_link_status"));
            return Poll.unless(settled ? null : "role " + info.get("role") + ", link " + info.get("master_link_status"));
        } catch (RuntimeException e) {
            return Poll.waiting(e.toString());
        }
    }

    @Test
    @Order(4)
    void aNodeWhoseProcessExitsAtEveryStartIsShownInACrashLoopAndDownRemovesIt() throws Exception {
        Container replica = Engine.container(deployment().project(), "replica", 2);
        // a directive the server refuses: from its next start on it exits at once, as with a bad setting. The
        // Sentinels are paused from the append to the kill: a reconfiguration of theirs ends in CONFIG REWRITE,
        // which comments an unknown directive out ("# ??? "), and the replica would then start again for good
        List<Container> sentinels = Probe.byService(deployment().project(), "sentinel");
        sentinels.forEach(s -> Engine.client().pauseContainerCmd(s.getId()).exec());
        try {
            String appended = Engine.exec(replica.getId(), "sh", "-c",
                    "echo 'redisha-no-such-directive yes' >> /data/redis.conf && tail -n 1 /data/redis.conf");
            assertEquals("redisha-no-such-directive yes", appended.strip(), "the config's last line after the append");
            Heal.killServerFromHost(replica.getId());
        } finally {
            sentinels.forEach(s -> Engine.client().unpauseContainerCmd(s.getId()).exec());
        }

        Poll<JsonNode> loop = Await.quietly().until(Await.deadline(Duration.ofSeconds(60)), () -> {
            JsonNode status = json(deployment().run("status", "--output", "json"));
            JsonNode entry = start(status, Heal.name(replica));
            // three restarts: from then on the judgement no longer depends on the moment it is asked
            return entry.get("crashLoop").asBoolean() && entry.get("restarts").asInt() >= 3 ? Poll.done(status)
                    : Poll.waiting(entry.toString());
        });
        assertTrue(loop.done(), "status shows the crash loop: " + loop.missing());
        assertTrue(loop.value().get("warnings").toString().contains(Heal.name(replica) + " keeps restarting (crash loop)"),
                loop.value()::toString);
        Cli.Result text = deployment().run("status");
        assertNotEquals(0, text.exitCode(), text::toString);
        assertTrue(text.out().contains("(crash loop)") && text.out().contains("warning: " + Heal.name(replica)
                + " keeps restarting"), text::toString);
        System.out.println("heal[" + persistence() + "] crash loop as status shows it:\n" + text.out());

        Cli.Result down = deployment().run("down");
        assertEquals(0, down.exitCode(), down::toString);
        Engine.assertNothingOf(deployment().project());
    }

    static JsonNode json(Cli.Result result) {
        try {
            return new ObjectMapper().readTree(result.out());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + result, e);
        }
    }

    static JsonNode start(JsonNode status, String name) {
        for (JsonNode s : status.get("starts")) {
            if (name.equals(s.get("name").asText())) {
                return s;
            }
        }
        throw new AssertionError("no start entry for " + name + " in " + status);
    }
}
