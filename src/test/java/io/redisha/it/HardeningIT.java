package io.redisha.it;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failure and crash behaviour on the real engine: bad environments, crashes, concurrent commands. */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class HardeningIT {
    private static final Path JAR = Cli.JAR;

    @RegisterExtension
    final Deployment deployments = Deployment.none();

    /** Starts redisha as a separate JVM, so that it can be SIGKILLed or hold the lock against an in-process run. */
    private static Process launch(Cli cli, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-f", cli.topology().toString()));
        Transcript.line("$ " + String.join(" ", command) + " (a separate process: only the stderr lines read are shown)");
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Reads the process' stderr until a line contains the marker. */
    private static void awaitLine(Process p, String marker) throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = err.readLine()) != null) {
            Transcript.line(line);
            if (line.contains(marker)) {
                return;
            }
        }
        throw new AssertionError("redisha ended before printing '" + marker + "' (exit " + p.waitFor() + ")");
    }

    @Test
    void upKilledWithSigkillMidwayIsConvergedByTheNextUp() throws Exception {
        Cli cli = deployments.create("it-kill", "");
        Process up = launch(cli, "up");
        awaitLine(up, "creating " + cli.project() + "-replica-");
        up.destroyForcibly(); // SIGKILL
        assertTrue(up.waitFor(10, TimeUnit.SECONDS));

        Cli.Result again = cli.run("up");
        assertEquals(0, again.exitCode(), again::toString);
        List<Container> containers = Engine.containers(cli.project());
        Set<String> names = containers.stream().map(c -> c.getNames()[0]).collect(Collectors.toSet());
        assertEquals(6, containers.size(), "exactly the topology's containers: " + names);
        assertEquals(6, names.size());
        assertTrue(containers.stream().allMatch(c -> "running".equals(c.getState())));
        Probe.assertReady(cli.project(), 2, 3);
    }

    @Test
    void scaleKilledWithSigkillMidwayIsFinishedByTheNextUp() throws Exception {
        Cli cli = deployments.create("it-killscale", "");
        assertEquals(0, cli.run("up").exitCode());
        Process grow = launch(cli, "scale", "sentinel=5");
        awaitLine(grow, "creating " + cli.project() + "-sentinel-");
        grow.destroyForcibly();
        assertTrue(grow.waitFor(10, TimeUnit.SECONDS));
        assertTrue(Files.readString(cli.topology()).contains("count: 5"), "the new count was written first");

        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Probe.assertReady(cli.project(), 2, 5);

        Process shrink = launch(cli, "scale", "sentinel=3");
        awaitLine(shrink, "removing " + cli.project() + "-sentinel-");
        shrink.destroyForcibly();
        assertTrue(shrink.waitFor(10, TimeUnit.SECONDS));
        Cli.Result again = cli.run("up");
        assertEquals(0, again.exitCode(), again::toString);
        Probe.assertReady(cli.project(), 2, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pause", "disconnect"})
    void failoverTestKilledWithSigkillWhileTheMasterIsBrokenIsHealedByTheNextUp(String fault) throws Exception {
        Cli cli = deployments.create("it-killft", "");
        assertEquals(0, cli.run("up").exitCode());
        String master = Probe.master(cli.project()).getId();
        Process test = launch(cli, "failover-test", "--fault", fault);
        awaitLine(test, "(master); waiting up to");
        test.destroyForcibly(); // no shutdown hook runs: the fault stays injected
        assertTrue(test.waitFor(10, TimeUnit.SECONDS));
        var broken = Engine.inspect(master).getState();
        assertTrue(Boolean.TRUE.equals(broken.getPaused()) || Engine.inspect(master).getNetworkSettings().getNetworks().isEmpty(),
                "the fault is still in place after the SIGKILL");

        Cli.Result up = cli.run("up", "--timeout", "120");
        assertEquals(0, up.exitCode(), up::toString);
        var healed = Engine.inspect(master);
        assertFalse(Boolean.TRUE.equals(healed.getState().getPaused()), "nothing left paused");
        assertEquals(1, healed.getNetworkSettings().getNetworks().size(), "nothing left disconnected");
        assertEquals(6, Engine.containers(cli.project()).size());
        Probe.assertReady(cli.project(), 2, 3);
        // the killed run could not delete its keys: they expire on their own
        try (Jedis jedis = Probe.redis(Probe.master(cli.project()).getId())) {
            Set<String> keys = jedis.keys("redisha:ft:*");
            assertFalse(keys.isEmpty(), "the writes before the fault left keys");
            for (String key : keys) {
                long ttl = jedis.ttl(key);
                assertTrue(ttl > 0 && ttl <= 3600, key + " expires within the hour: ttl " + ttl);
            }
        }
    }

    @Test
    void aSecondCommandOnTheSameProjectIsRefusedWhileTheFirstRuns() throws Exception {
        Cli cli = deployments.create("it-lock", "");
        Process first = launch(cli, "up");
        awaitLine(first, "building Sentinel image");
        Cli.Result second = cli.run("up");
        assertEquals(9, second.exitCode(), second::toString);
        assertTrue(second.err().contains("another redisha command (pid " + first.pid() + ": up) is changing project "
                + cli.project()), second::toString);
        assertEquals(0, first.waitFor(), "the first up finishes undisturbed");
        Cli.Result third = cli.run("up");
        assertEquals(0, third.exitCode(), "the lock is free again: " + third);
    }

    @Test
    void aFixedHostPortInUseIsRefusedBeforeAnythingIsCreated() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli cli = deployments.create("it-port", "replicas:\n  host-ports: [" + taken.getLocalPort() + "]\n");
            Cli.Result up = cli.run("up");
            assertEquals(3, up.exitCode(), up::toString);
            assertTrue(up.err().contains("error: replicas.host-ports[0]: port " + taken.getLocalPort()
                    + " on 127.0.0.1 is already in use"), up::toString);
            Engine.assertNothingOf(cli.project());
        }
    }

    @Test
    void aMissingImageIsNamedAndNothingIsCreated() throws Exception {
        Cli cli = deployments.create("it-noimage", "image: redisha-missing:1\n");
        Cli.Result up = cli.run("up");
        assertEquals(4, up.exitCode(), up::toString);
        assertTrue(up.err().startsWith("error: image redisha-missing:1 (topology `image`) is not on the engine"), up::toString);
        Engine.assertNothingOf(cli.project());
    }

    @Test
    void anUnreachableEngineIsOneClearLine() throws Exception {
        Cli cli = deployments.create("it-noengine", "");
        String previous = System.getProperty("DOCKER_HOST");
        System.setProperty("DOCKER_HOST", "unix:///tmp/redisha-no-such-engine.sock");
        try {
            Cli.Result up = cli.run("up");
            assertEquals(4, up.exitCode(), up::toString);
            assertTrue(up.err().startsWith("error: the Docker engine at unix:///tmp/redisha-no-such-engine.sock does not answer"),
                    up::toString);
            assertEquals(1, up.err().lines().count(), up::toString);
        } finally {
            if (previous == null) {
                System.clearProperty("DOCKER_HOST");
            } else {
                System.setProperty("DOCKER_HOST", previous);
            }
        }
    }

    @Test
    void aContainerExitingAtStartFailsWithItsLastLogLines() throws Exception {
        Cli cli = deployments.create("it-exit", "");
        String image = "redisha-it-exits:" + cli.project();
        Path context = Files.createTempDirectory("redisha-exit-image");
        Files.writeString(context.resolve("Dockerfile"),
                "FROM redis:7\nENTRYPOINT [\"sh\", \"-c\", \"echo redisha-it-boom >&2; exit 3\"]\n");
        Engine.client().buildImageCmd(context.toFile()).withTags(Set.of(image)).withPull(false)
                .withLabels(Map.of(Engine.PROJECT_LABEL, cli.project()))
                .exec(new BuildImageResultCallback()).awaitImageId(2, TimeUnit.MINUTES);
        deployments.removeImageAfterwards(cli, image);
        Files.writeString(cli.topology(), "project: " + cli.project() + "\nimage: " + image + "\n");
        Cli.Result up = cli.run("up", "--timeout", "60");
        assertEquals(5, up.exitCode(), up::toString);
        assertTrue(up.err().contains("exited while waiting for the deployment to be ready"), up::toString);
        assertTrue(up.err().contains("| redisha-it-boom"), "the container's own last log lines: " + up);
    }

    @Test
    void sentinelsRestartedOrRecreatedAfterAFailoverFollowTheCurrentMaster() throws Exception {
        // with a password, which each Sentinel writes back into its file (sentinel auth-pass) at the
        // failover: the restarted Sentinel must be able to read it again
        String password = "it-sr!#$%&()*+,-./:;<=>?@[]^_`{|}~";
        Cli cli = deployments.create("it-sentinel-restart", "auth:\n  password-file: redis.pass\n");
        java.nio.file.Path file = cli.topology().resolveSibling("redis.pass");
        java.nio.file.Files.writeString(file, password + "\n");
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertEquals(0, cli.run("up").exitCode());
        String oldMaster = Probe.master(cli.project(), password).getId();
        String oldIp = Engine.ip(oldMaster);
        try (Jedis s = Probe.sentinel(Engine.container(cli.project(), "sentinel", 1).getId())) {
            s.sentinelFailover("mymaster");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (oldIp.equals(s.sentinelGetMasterAddrByName("mymaster").get(0))) {
                assertTrue(System.nanoTime() < deadline, "SENTINEL FAILOVER switched the master within 30 s");
                Thread.sleep(100);
            }
        }
        Cli.Result ready = cli.run("up", "--timeout", "90");
        assertEquals(0, ready.exitCode(), ready::toString);
        String newMaster = Probe.master(cli.project(), password).getId();
        assertNotEquals(oldMaster, newMaster, "SENTINEL FAILOVER promoted a replica");

        String restarted = Engine.container(cli.project(), "sentinel", 2).getId();
        Engine.client().restartContainerCmd(restarted).withTimeout(2).exec();
        Engine.client().removeContainerCmd(Engine.container(cli.project(), "sentinel", 3).getId()).withForce(true).exec();
        Cli.Result up = cli.run("up", "--timeout", "90");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("creating " + cli.project() + "-sentinel-3"), up::toString);
        assertEquals(newMaster, Probe.master(cli.project(), password).getId(), "the failover is not undone");
        Probe.assertReady(cli.project(), 2, 3, password);
        assertEquals(restarted, Engine.container(cli.project(), "sentinel", 2).getId(), "sentinel-2 is the restarted one");
        assertEquals(0, Engine.inspect(restarted).getRestartCount(), "the restarted Sentinel read its rewritten file");
        // the files the servers rewrote at the failover, which hold the password, stayed private
        for (Container c : Engine.containers(cli.project())) {
            boolean sentinel = "sentinel".equals(c.getLabels().get("io.redisha.service"));
            String mode = Engine.exec(c.getId(), "stat", "-c", "%a", sentinel ? "/data/sentinel.conf" : "/data/redis.conf").strip();
            assertEquals("600", mode, c.getNames()[0] + "'s configuration file");
        }
    }
}
