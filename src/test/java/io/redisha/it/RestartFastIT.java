package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A master without persistence restarted faster than down-after-milliseconds ({@code docker restart
 * -t 0}, as by hand, an engine restart policy or an out-of-memory kill) on the real engine: its
 * start script holds it back until the Sentinels have promoted a replica, so it never serves its
 * empty data set to be copied. Everything is checked through plain Jedis and the engine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class RestartFastIT {
    private static final int KEYS = 100;

    // persistence: off is the default; shorter timings keep the hold-back (down-after +
    // failover-timeout + 10 s = 18 s) and the test short
    @RegisterExtension
    static final Deployment deployment = Deployment.of("it-rf", """
                    sentinels:
                      down-after-milliseconds: 3000
                      failover-timeout: 5000
                    """).up().within(Duration.ofMinutes(4));

    /** The container at the address the first Sentinel names as the master, once that one reports role:master. */
    private static Poll<Container> namedMaster() {
        try (Jedis s = Probe.sentinel(Engine.container(deployment.project(), "sentinel", 1).getId())) {
            String ip = s.sentinelGetMasterAddrByName("mymaster").get(0);
            for (Container c : Engine.containers(deployment.project())) {
                if (!"sentinel".equals(c.getLabels().get("io.redisha.service")) && ip.equals(Engine.ip(c.getId()))) {
                    try (Jedis r = Probe.redis(c.getId())) {
                        return "master".equals(Probe.info(r).get("role")) ? Poll.done(c)
                                : Poll.waiting(ip + " does not report role:master yet");
                    }
                }
            }
            return Poll.waiting("no node at " + ip);
        } catch (RuntimeException e) {
            return Poll.waiting(e.toString());
        }
    }

    private static Poll<Void> statusReady() {
        Cli.Result status = deployment.run("status");
        return Poll.unless(status.exitCode() == 0 ? null : status.toString());
    }

    @Test
    @Order(1)
    void aMasterRestartedFasterThanDetectionLosesNoKeyAndEndsAReplica() throws Exception {
        Container old = Probe.master(deployment.project());
        Probe.writeKeys(old.getId(), "it-rf:", KEYS, 2);

        long start = System.nanoTime();
        Engine.client().restartContainerCmd(old.getId()).withTimeout(0).exec();

        Poll<Container> promoted = Await.quietly().until(Await.deadline(Duration.ofSeconds(60)), () -> {
            Poll<Container> m = namedMaster();
            return m.done() && m.value().getId().equals(old.getId()) ? Poll.waiting("the restarted node is still named") : m;
        });
        assertTrue(promoted.done(), promoted::missing);
        assertNotEquals(old.getId(), promoted.value().getId());
        Poll<Void> following = Await.quietly().until(Await.deadline(Duration.ofSeconds(60)), () -> Heal.replicaUp(old.getId()));
        assertTrue(following.done(), "the old master ends a replica: " + following.missing());
        System.out.printf("restart-fast: old master a replica of the promoted one %.1f s after the restart%n",
                (System.nanoTime() - start) / 1e9);

        List<String> lost = new ArrayList<>();
        try (Jedis m = Probe.redis(promoted.value().getId())) {
            for (int i = 0; i < KEYS; i++) {
                if (!("v" + i).equals(m.get("it-rf:" + i))) {
                    lost.add("it-rf:" + i);
                }
            }
        }
        assertEquals(List.of(), lost, "keys written before the restart that are gone");
        try (Jedis r = Probe.redis(old.getId())) {
            assertEquals("v0", r.get("it-rf:0"), "the old master copied the data back from the new one");
        }
        String log = Engine.logs(old.getId());
        assertTrue(log.contains("redisha: the Sentinels still name this node"), log);
        assertTrue(log.contains("redisha: following the master the Sentinels name, " + Engine.ip(promoted.value().getId())),
                log);

        Poll<Void> ready = Await.quietly().until(Await.deadline(Duration.ofSeconds(60)), RestartFastIT::statusReady);
        assertTrue(ready.done(), ready::missing);
        Probe.assertReady(deployment.project(), 2, 3);
    }

    @Test
    @Order(2)
    void failoverTestRestartFastPassesWithNoKeyLostAndSaysHowTheProtectionActed() throws Exception {
        Container old = Probe.master(deployment.project());
        Cli.Result result = deployment.run("failover-test", "--fault", "restart-fast", "--output", "json");
        assertEquals(0, result.exitCode(), result::toString);
        JsonNode round = FailoverIT.json(result).get("rounds").get(0);
        assertEquals("restart-fast", round.get("fault").asText());
        assertTrue(round.get("healedAtMs").isNull(), "nothing undone after restart-fast: " + round);
        assertTrue(round.get("notes").toString().contains("nothing to undo: the engine had started "
                + FailoverIT.nameOf(old) + " again at once"), round.get("notes")::toString);
        JsonNode kept = null;
        for (JsonNode check : round.get("checks")) {
            assertEquals("PASS", check.get("status").asText(), check.toString());
            if ("keys kept".equals(check.get("name").asText())) {
                kept = check;
            }
        }
        assertTrue(kept != null, round::toString);
        String detail = kept.get("detail").asText();
        assertTrue(detail.startsWith("0 of the 100 keys written before the fault are gone"), detail);
        assertTrue(detail.contains("the Sentinels still name this node") && detail.contains("following the master"),
                detail);
        FailoverIT.assertNothingLeftBroken(deployment.project());
        assertNotEquals(old.getId(), Probe.master(deployment.project()).getId());
        Probe.assertReady(deployment.project(), 2, 3);
    }

    @Test
    @Order(3)
    void everyNodeRestartedAtOnceComesBackReady() throws Exception {
        List<Container> all = Engine.containers(deployment.project());
        assertEquals(6, all.size());
        long start = System.nanoTime();
        List<Thread> restarts = new ArrayList<>();
        for (Container c : all) {
            Thread t = new Thread(() -> Engine.client().restartContainerCmd(c.getId()).withTimeout(0).exec());
            t.start();
            restarts.add(t);
        }
        for (Thread t : restarts) {
            t.join(30_000);
        }
        // within the hold-back (18 s) plus a failover and a resynchronisation: no deadlock
        Poll<Void> ready = Await.quietly().until(Await.deadline(Duration.ofSeconds(90)), RestartFastIT::statusReady);
        assertTrue(ready.done(), ready::missing);
        Probe.assertReady(deployment.project(), 2, 3);
        System.out.printf("restart of every node: ready again %.1f s after the restart%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * The demonstration mode (master.restart-protection: off, documented as unsafe): the same restart
     * wipes every key, on the master and on its replicas (which copy the empty master whether or not
     * Sentinel then fails over), and the round says so.
     */
    @Test
    @Order(4)
    void withTheProtectionOffTheRoundShowsTheLossExactly() throws Exception {
        Cli off = deployment.create("it-rf-off", """
                master:
                  restart-protection: off
                sentinels:
                  down-after-milliseconds: 3000
                  failover-timeout: 5000
                """);
        Cli.Result up = off.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("master.restart-protection: off is unsafe"), up.err());
        Cli.Result result = off.run("failover-test", "--fault", "restart-fast", "--timeout", "15", "--output", "json");
        assertNotEquals(0, result.exitCode(), result::toString);
        JsonNode round = FailoverIT.json(result).get("rounds").get(0);
        assertNotEquals("PASS", round.get("outcome").asText(), round::toString);
        JsonNode kept = null;
        for (JsonNode check : round.get("checks")) {
            if ("keys kept".equals(check.get("name").asText())) {
                kept = check;
            }
        }
        assertTrue(kept != null, round::toString);
        assertEquals("FAIL", kept.get("status").asText());
        String detail = kept.get("detail").asText();
        assertTrue(detail.startsWith("100 of the 100 keys written before the fault are gone"), detail);
        assertTrue(detail.contains("logged no protection line"), detail);
        // seen independently: no node holds any of the keys
        for (Container c : Engine.containers(off.project())) {
            if (!"sentinel".equals(c.getLabels().get("io.redisha.service"))) {
                try (Jedis j = Probe.redis(c.getId())) {
                    assertEquals(0, j.keys("redisha:ft:*:kept:*").size(), c.getNames()[0]);
                }
            }
        }
        Poll<Void> ready = Await.quietly().until(Await.deadline(Duration.ofSeconds(30)), () -> {
            Cli.Result status = off.run("status");
            return Poll.unless(status.exitCode() == 0 ? null : status.toString());
        });
        assertTrue(ready.done(), "status says ready, the hazard: " + ready.missing());
    }

    /**
     * With Sentinel's own password the start script must authenticate to ask: a node that could not
     * would start at once, say nothing, and stay master. The old master's log following the promoted
     * replica shows that the password reached it; the password is in no process's environment.
     */
    @Test
    @Order(5)
    void withASentinelPasswordTheRestartedMasterStillWaitsAndFollows() throws Exception {
        Cli auth = deployment.create("it-rf-auth", """
                auth:
                  sentinel-password-file: sentinel.pass
                sentinels:
                  down-after-milliseconds: 3000
                  failover-timeout: 5000
                """);
        java.nio.file.Path file = auth.topology().getParent().resolve("sentinel.pass");
        java.nio.file.Files.writeString(file, "it-rf-sentinel-secret\n");
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Cli.Result up = auth.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Container old = Probe.master(auth.project());
        Engine.client().restartContainerCmd(old.getId()).withTimeout(0).exec();
        Poll<Void> following = Await.quietly().until(Await.deadline(Duration.ofSeconds(60)), () -> Heal.replicaUp(old.getId()));
        assertTrue(following.done(), "the old master ends a replica: " + following.missing());
        String log = Engine.logs(old.getId());
        assertTrue(log.contains("redisha: the Sentinels still name this node") && log.contains("redisha: following"), log);
        String env = String.join(" ", Engine.inspect(old.getId()).getConfig().getEnv());
        assertTrue(!env.contains("it-rf-sentinel-secret"), "the password is not in the container's environment");
        Poll<Void> ready = Await.quietly().until(Await.deadline(Duration.ofSeconds(60)), () -> {
            Cli.Result status = auth.run("status");
            return Poll.unless(status.exitCode() == 0 ? null : status.toString());
        });
        assertTrue(ready.done(), ready::missing);
    }
}
