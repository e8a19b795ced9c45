package io.redisha.it;

import com.github.dockerjava.api.model.Container;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A master without persistence restarted ({@code docker restart -t 0}) while every Sentinel is
 * stopped: no Sentinel answers its start script, which asks the other Redis nodes instead. Without
 * that question it started as configured, an empty master its replicas copied at once (every key
 * gone on every node within seconds). Checked through plain Jedis and the engine.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class SentinelsAwayIT {
    private static final int KEYS = 100;
    private static Cli cli;

    @BeforeAll
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void up() throws Exception {
        Engine.client();
        cli = Cli.project("it-away", """
                sentinels:
                  down-after-milliseconds: 3000
                  failover-timeout: 5000
                """);
        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
    }

    @AfterAll
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void cleanup() {
        cli.cleanup();
    }

    private static List<Container> redisNodes() {
        return Engine.containers(cli.project()).stream()
                .filter(c -> !"sentinel".equals(c.getLabels().get("io.redisha.service"))).toList();
    }

    /** The nodes that do not hold every key yet, with how many they hold; empty when all do. */
    private static List<String> missingKeys() {
        List<String> missing = new ArrayList<>();
        for (Container c : redisNodes()) {
            try (Jedis r = Probe.redis(c.getId())) {
                int held = 0;
                for (int i = 0; i < KEYS; i++) {
                    if (("v" + i).equals(r.get("it-away:" + i))) {
                        held++;
                    }
                }
                if (held < KEYS) {
                    missing.add(c.getNames()[0] + " holds " + held + " of " + KEYS);
                }
            } catch (RuntimeException e) {
                missing.add(c.getNames()[0] + ": " + e.getMessage());
            }
        }
        return missing;
    }

    @Test
    void aMasterRestartedWhileTheSentinelsAreStoppedWipesNoNodeAndTheSentinelsConvergeOnTheData() throws Exception {
        Container old = Probe.master(cli.project());
        Probe.writeKeys(old.getId(), "it-away:", KEYS, 2);
        List<Container> sentinels = Probe.byService(cli.project(), "sentinel");
        assertEquals(3, sentinels.size());
        for (Container s : sentinels) {
            Engine.client().stopContainerCmd(s.getId()).withTimeout(0).exec();
        }

        long start = System.nanoTime();
        Engine.client().restartContainerCmd(old.getId()).withTimeout(0).exec();
        // the old master asks the replicas, makes the one with the highest offset the master and follows it
        Poll<Void> following = Await.quietly().until(Await.deadline(Duration.ofSeconds(60)), () -> {
            try (Jedis r = Probe.redis(old.getId())) {
                var info = Probe.info(r);
                return Poll.unless("slave".equals(info.get("role")) && "up".equals(info.get("master_link_status"))
                        ? null : "role " + info.get("role") + ", link " + info.get("master_link_status"));
            } catch (RuntimeException e) {
                return Poll.waiting(e.toString());
            }
        });
        assertTrue(following.done(), "the restarted master ends a replica of a node with the data: " + following.missing()
                + "\n" + Engine.logs(old.getId()));
        System.out.printf("sentinels away: the restarted master a replica with the data %.1f s after the restart%n",
                (System.nanoTime() - start) / 1e9);
        String log = Engine.logs(old.getId());
        assertTrue(log.contains("redisha: no Sentinel answers;") && log.contains("made it the master, following it"), log);
        // still so a while later: nothing copied an empty master meanwhile
        Thread.sleep(3000);
        assertEquals(List.of(), missingKeys(), "no key lost on any node");

        for (Container s : sentinels) {
            Engine.client().startContainerCmd(s.getId()).exec();
        }
        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Poll<Void> ready = Await.quietly().until(Await.deadline(Duration.ofSeconds(90)), () -> {
            Cli.Result status = cli.run("status");
            return Poll.unless(status.exitCode() == 0 ? null : status.toString());
        });
        assertTrue(ready.done(), ready::missing);
        Probe.assertReady(cli.project(), 2, 3);
        assertEquals(List.of(), missingKeys(), "every key on every node once ready");
        System.out.printf("sentinels away: ready again with every key %.1f s after the restart%n",
                (System.nanoTime() - start) / 1e9);
    }
}
