package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
abstract class SelfHealCases {
    static final int KEYS = 100;
    Cli cli;

    /** The topology's persistence: off, rdb or aof. */
    abstract String persistence();

    /** Whether a master killed and back at once is replaced by a promoted replica (it is when it lost its data). */
    abstract boolean promotesAfterKill();

    @BeforeAll
    void up() throws Exception {
        Engine.client();
        cli = Cli.project("it-heal-" + persistence(), """
                persistence: %s
                sentinels:
                  down-after-milliseconds: 3000
                  failover-timeout: 5000
                """.formatted(persistence()));
        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
    }

    @AfterAll
    void cleanup() {
        cli.cleanup();
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
        Container replica = Probe.byService(cli.project(), "replica").get(0);
        assertEquals("unless-stopped", Engine.inspect(replica.getId()).getHostConfig().getRestartPolicy().getName());
        String settings = replica.getLabels().get("io.redisha.settings");
        // as an older redisha created it (Testcontainers' docker-java cannot update a restart policy)
        Heal.docker("update", "--restart", "no", replica.getId());
        assertEquals("no", Engine.inspect(replica.getId()).getHostConfig().getRestartPolicy().getName());

        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("set so in place"), up::toString);
        var inspect = Engine.inspect(replica.getId());
        assertEquals("unless-stopped", inspect.getHostConfig().getRestartPolicy().getName(), "the same container, updated");
        assertEquals(settings, inspect.getConfig().getLabels().get("io.redisha.settings"));
        Cli.Result again = cli.run("up");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(!again.err().contains("set so in place"), again::toString);
    }

    @Test
    @Order(2)
    void aMasterKilledFromTheHostComesBackByItselfAndTheDeploymentIsReadyWithoutUp() throws Exception {
        Container old = Probe.master(cli.project());
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
        Poll<Void> ready = Await.quietly().until(Await.deadline(Duration.ofSeconds(90)), () -> Heal.statusReady(cli));
        assertTrue(ready.done(), "ready without up: " + ready.missing());
        double readySeconds = (System.nanoTime() - start) / 1e9;

        Container master = Probe.master(cli.project());
        if (promotesAfterKill()) {
            assertNotEquals(old.getId(), master.getId(), "a replica was promoted");
            Poll<Void> following = Await.quietly().until(Await.deadline(Duration.ofSeconds(30)), () -> Heal.replicaUp(old.getId()));
            assertTrue(following.done(), "the old master rejoins as a replica: " + following.missing());
        }
        Map<String, String> missing = Heal.awaitKeysEverywhere(cli.project(), prefix, KEYS, Duration.ofSeconds(30));
        assertEquals(Map.of(), missing, "keys written before the kill, missing per node");
        Probe.assertReady(cli.project(), 2, 3);
        System.out.printf("heal[%s] process crash (kill -9 of PID %d from the host): back in %.1f s, ready in %.1f s,"
                        + " master %s, %d of %d keys on every node%n", persistence(), pid, backSeconds, readySeconds,
                master.getId().equals(old.getId()) ? "kept" : "promoted", KEYS, KEYS);

        JsonNode status = json(cli.run("status", "--output", "json"));
        JsonNode entry = start(status, Heal.name(old));
        assertTrue(entry.get("restarts").asInt() >= 1, entry::toString);
        assertTrue(entry.get("lastStart").asText().endsWith("Z"), entry::toString);
        assertTrue(status.get("warnings").toString().contains(Heal.name(old) + " started again"), status::toString);
        Cli.Result text = cli.run("status");
        assertTrue(text.out().contains("RESTARTS") && text.out().contains("warning: " + Heal.name(old) + " started again"),
                text::toString);
    }

    @Test
    @Order(3)
    void aMasterRestartedWhileEverySentinelIsAwayLosesNoKey() throws Exception {
        Container master = Probe.master(cli.project());
        String prefix = "it-heal-away:";
        write(master, prefix);
        List<Container> sentinels = Probe.byService(cli.project(), "sentinel");
        for (Container s : sentinels) {
            Engine.client().stopContainerCmd(s.getId()).withTimeout(1).exec();
        }
        long start = System.nanoTime();
        Engine.client().restartContainerCmd(master.getId()).withTimeout(0).exec();
        Poll<Void> answers = Await.quietly().until(Await.deadline(Duration.ofSeconds(60)), () -> {
            try (Jedis r = Probe.redis(master.getId())) {
                return Poll.unless("PONG".equals(r.ping()) ? null : "no PONG");
            } catch (RuntimeException e) {
                return Poll.waiting(e.toString());
            }
        });
        assertTrue(answers.done(), "the restarted master answers: " + answers.missing());
        Map<String, String> away;
        try {
            away = Heal.awaitKeysEverywhere(cli.project(), prefix, KEYS, Duration.ofSeconds(30));
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

        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        double readySeconds = (System.nanoTime() - start) / 1e9;
        assertEquals(Map.of(), Heal.missingKeys(cli.project(), prefix, KEYS), "keys missing per node after up");
        Probe.assertReady(cli.project(), 2, 3);
        System.out.printf("heal[%s] Sentinels away, master restarted: %d of %d keys on every node, ready %.1f s after"
                + " the restart (Sentinels started and up)%n", persistence(), KEYS, KEYS, readySeconds);
    }

    @Test
    @Order(4)
    void aNodeWhoseProcessExitsAtEveryStartIsShownInACrashLoopAndDownRemovesIt() throws Exception {
        Container replica = Engine.container(cli.project(), "replica", 2);
        // a directive the server refuses: from its next start on it exits at once, as with a bad setting
        var exec = Engine.client().execCreateCmd(replica.getId())
                .withCmd("sh", "-c", "echo 'redisha-no-such-directive yes' >> /data/redis.conf").exec();
        Engine.client().execStartCmd(exec.getId()).start().awaitCompletion(10, TimeUnit.SECONDS);
        Heal.killServerFromHost(replica.getId());

        Poll<JsonNode> loop = Await.quietly().until(Await.deadline(Duration.ofSeconds(60)), () -> {
            JsonNode status = json(cli.run("status", "--output", "json"));
            JsonNode entry = start(status, Heal.name(replica));
            // three restarts: from then on the judgement no longer depends on the moment it is asked
            return entry.get("crashLoop").asBoolean() && entry.get("restarts").asInt() >= 3 ? Poll.done(status)
                    : Poll.waiting(entry.toString());
        });
        assertTrue(loop.done(), "status shows the crash loop: " + loop.missing());
        assertTrue(loop.value().get("warnings").toString().contains(Heal.name(replica) + " keeps restarting (crash loop)"),
                loop.value()::toString);
        Cli.Result text = cli.run("status");
        assertNotEquals(0, text.exitCode(), text::toString);
        assertTrue(text.out().contains("(crash loop)") && text.out().contains("warning: " + Heal.name(replica)
                + " keeps restarting"), text::toString);
        System.out.println("heal[" + persistence() + "] crash loop as status shows it:\n" + text.out());

        Cli.Result down = cli.run("down");
        assertEquals(0, down.exitCode(), down::toString);
        Engine.assertNothingOf(cli.project());
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
