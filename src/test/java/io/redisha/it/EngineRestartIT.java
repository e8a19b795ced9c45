package io.redisha.it;

import com.github.dockerjava.api.model.Container;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's daemon stopped and started again, as a host reboot does to it: every node of two
 * deployments (without persistence, and with RDB snapshots) comes back by itself and each is ready
 * without {@code up}; with RDB every key written before a SAVE is there. The daemon is started as
 * scripts/setup starts it, and is running again when the test ends, whatever happened. Needs root
 * on the engine's host, like scripts/setup; run with the Docker lock held throughout.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class EngineRestartIT {
    private static final int KEYS = 100;
    private static final Path DOCKERD_LOG = Path.of(System.getenv().getOrDefault("REDISHA_DOCKERD_LOG",
            "/var/log/redisha-dockerd.log"));
    @RegisterExtension
    static final Deployment off = Deployment.of("it-engine-off", "persistence: off\n").up();
    @RegisterExtension
    static final Deployment rdb = Deployment.of("it-engine-rdb", "persistence: rdb\n").up();
    private static boolean labRunning;

    @BeforeAll
    static void lab() {
        labRunning = Engine.client().listContainersCmd().withLabelFilter(Map.of("io.redisha.lab", "swarm")).exec()
                .stream().anyMatch(c -> "running".equals(c.getState()));
    }

    /**
     * The daemon running again, and the Swarm lab with it, whatever the test did: JUnit runs this before
     * the extension removes the deployments, which needs the daemon, and runs that removal even when
     * this fails.
     */
    @AfterAll
    static void daemonAndLabBack() throws Exception {
        startDaemonIfStopped();
        repairSwarmLab();
    }

    /** This host's dockerd: not one inside a container (the Swarm lab's hosts run their own), by mount namespace. */
    private static List<ProcessHandle> daemons() {
        String ours = mountNamespace("self");
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return "dockerd".equals(Files.readString(Path.of("/proc/" + p.pid() + "/comm")).strip())
                        && ours.equals(mountNamespace(Long.toString(p.pid())));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static String mountNamespace(String pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/mnt")).toString();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** The Swarm lab's hosts are containers of this engine without a restart policy: its own script repairs them. */
    private static void repairSwarmLab() throws Exception {
        if (!labRunning) {
            return;
        }
        Process p = new ProcessBuilder("scripts/swarm-lab", "up").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0, "scripts/swarm-lab up: " + out);
    }

    /** As scripts/setup starts it: in a session of its own, its output appended to its log. */
    private static void startDaemonIfStopped() {
        if (!daemons().isEmpty()) {
            return;
        }
        try {
            new ProcessBuilder("setsid", "nohup", "dockerd").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(DOCKERD_LOG.toFile()))
                    .redirectInput(new File("/dev/null")).start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("starting dockerd", e);
        }
        Poll<Void> answers = Await.quietly().until(Await.deadline(Duration.ofSeconds(90)), () -> {
            try {
                Engine.client().pingCmd().exec();
                return Poll.ok();
            } catch (RuntimeException e) {
                return Poll.waiting(e.toString());
            }
        });
        assertTrue(answers.done(), "dockerd answers again: " + answers.missing());
    }

    @Test
    void everyNodeComesBackByItselfAndWithRdbEveryKeySavedIsThere() throws Exception {
        Map<String, Cli> clis = new LinkedHashMap<>();
        clis.put("off", off.cli());
        clis.put("rdb", rdb.cli());
        for (Map.Entry<String, Cli> e : clis.entrySet()) {
            Container master = Probe.master(e.getValue().project());
            Probe.writeKeys(master.getId(), "it-engine:", KEYS, 2);
            if ("rdb".equals(e.getKey())) {
                try (Jedis m = Probe.redis(master.getId())) {
                    assertEquals("OK", m.save());
                }
            }
        }
        List<ProcessHandle> daemons = daemons();
        assertEquals(1, daemons.size(), "one dockerd runs: " + daemons);
        long stopping = System.nanoTime();
        daemons.get(0).destroy();
        assertTrue(daemons.get(0).onExit().get(90, TimeUnit.SECONDS) != null, "dockerd stopped");
        System.out.printf("engine: dockerd stopped in %.1f s%n", (System.nanoTime() - stopping) / 1e9);

        long start = System.nanoTime();
        startDaemonIfStopped();
        System.out.printf("engine: dockerd answers %.1f s after its start%n", (System.nanoTime() - start) / 1e9);
        for (Map.Entry<String, Cli> e : clis.entrySet()) {
            Cli cli = e.getValue();
            Poll<Void> ready = Await.quietly().until(Await.deadline(Duration.ofSeconds(120)), () -> Heal.statusReady(cli));
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Container c : Engine.containers(cli.project())) {
                assertEquals("running", c.getState(), Heal.name(c) + " started by the engine");
            }
            assertTrue(ready.done(), e.getKey() + ": ready without up: " + ready.missing());
            Probe.assertReady(cli.project(), 2, 3);
            Map<String, String> missing = Heal.missingKeys(cli.project(), "it-engine:", KEYS);
            System.out.printf("heal[%s] engine restart (= host reboot): ready %.1f s after dockerd started, keys missing"
                    + " per node: %s%n", e.getKey(), seconds, missing);
            if ("rdb".equals(e.getKey())) {
                assertEquals(Map.of(), missing, "keys written before SAVE, missing per node");
            }
        }
    }
}
