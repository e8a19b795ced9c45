package io.redisha.it;

import com.github.dockerjava.api.model.Container;
import io.redisha.topology.Topology;
import io.redisha.topology.TopologyFileEditor;
import io.redisha.topology.TopologyLoader;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * redisha scale on the real engine: one deployment (2 replicas, 3 Sentinels) walked through
 * refusals, Sentinels 3 -> 5 -> 3, replicas 2 -> 3 -> 1, a shrink after a forced failover, and an
 * `up` that converges downwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class ScaleIT {
    private static final String TOPOLOGY = "# comments survive scaling\nreplicas: 2   # the replicas\nsentinels:\n"
            + "  count: 3   # the sentinels\n  quorum: 2\n";

    @RegisterExtension
    static final Deployment deployment = Deployment.of("it-scale", TOPOLOGY).up();

    private static Map<String, String> ids() {
        return Engine.containers(deployment.project()).stream()
                .collect(Collectors.toMap(c -> c.getNames()[0].substring(1), Container::getId));
    }

    private static String file() throws Exception {
        return Files.readString(deployment.topology());
    }

    private static Topology topology() throws Exception {
        return TopologyLoader.load(deployment.topology()).topology();
    }

    private static String name(String service, int index) {
        return deployment.project() + "-" + service + "-" + index;
    }

    private static Cli.Result scale(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "scale";
        System.arraycopy(args, 0, all, 1, args.length);
        return deployment.run(all);
    }

    @Test
    @Order(1)
    void refusalsNameTheReasonAndChangeNothing() throws Exception {
        Probe.assertReady(deployment.project(), 2, 3);
        Map<String, String> before = ids();
        String text = file();
        record Case(List<String> args, int exit, String message) {
        }
        List<Case> cases = List.of(
                new Case(List.of("sentinel=1"), 6, "error: sentinel=1 is below the quorum of 2 (sentinels.quorum)"),
                new Case(List.of("sentinel=0"), 6, "error: sentinel=0: without Sentinels nothing would notice"),
                new Case(List.of("sentinel=-1"), 6, "error: sentinel=-1: a count cannot be negative"),
                new Case(List.of("sentinel=5", "replica=-2"), 6, "error: replica=-2: a count cannot be negative"),
                new Case(List.of("master=2"), 6, "error: master=2: a deployment has exactly one master"),
                new Case(List.of("redis=3"), 6, "error: unknown service 'redis' in redis=3"),
                new Case(List.of("sentinel"), 2, "malformed argument 'sentinel': expected SERVICE=N"),
                new Case(List.of("sentinel=three"), 2, "malformed argument 'sentinel=three': the count must be a whole number"),
                new Case(List.of("slave=5", "replica=3"), 2, "the replica count is given twice"));
        for (Case c : cases) {
            Cli.Result r = scale(c.args().toArray(String[]::new));
            assertEquals(c.exit(), r.exitCode(), r::toString);
            String firstLine = r.err().lines().findFirst().orElse("");
            assertTrue(firstLine.startsWith(c.message()), c.args() + ": " + r);
            if (c.exit() == 6) {
                assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
            }
            assertEquals(before, ids(), c.args() + " must not create or remove containers");
            assertEquals(text, file(), c.args() + " must not change the topology file");
        }
    }

    @Test
    @Order(2)
    void scalingAProjectThatIsNotDeployedIsRefused() throws Exception {
        Cli none = deployment.create("it-scale-none", "sentinels: 3\n");
        String text = Files.readString(none.topology());
        Cli.Result r = none.run("scale", "sentinel=5");
        assertEquals(6, r.exitCode(), r::toString);
        assertEquals("error: project " + none.project() + " is not deployed on", r.err().strip()
                .substring(0, ("error: project " + none.project() + " is not deployed on").length()), r::toString);
        assertTrue(r.err().strip().endsWith("(run redisha up); nothing changed"), r::toString);
        Engine.assertNothingOf(none.project());
        assertEquals(text, Files.readString(none.topology()));
    }

    @Test
    @Order(3)
    void shrinkingADeploymentThatIsNotReadyIsRefusedButNothingIsRemoved() throws Exception {
        Map<String, String> before = ids();
        String text = file();
        String paused = ids().get(name("sentinel", 3));
        Engine.client().pauseContainerCmd(paused).exec();
        try {
            Cli.Result r = scale("replica=1");
            assertEquals(6, r.exitCode(), r::toString);
            assertTrue(r.err().startsWith("error: will not remove nodes while the deployment is not ready: "), r::toString);
            assertTrue(r.err().contains(name("sentinel", 3) + " is paused"), r::toString);
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r);
            assertEquals(before, ids());
            assertEquals(text, file());
        } finally {
            Engine.client().unpauseContainerCmd(paused).exec();
        }
        awaitStatusReady();
    }

    @Test
    @Order(4)
    void sentinelsThreeToFiveToThree() throws Exception {
        Cli.Result grow = scale("sentinel=5");
        assertEquals(0, grow.exitCode(), grow::toString);
        assertTrue(grow.err().contains("creating " + name("sentinel", 4)), grow::toString);
        Probe.assertReady(deployment.project(), 2, 5);
        assertEquals(5, topology().sentinels().count());
        assertTrue(file().contains("# comments survive scaling") && file().contains("count: 5   # the sentinels"), file());
        for (Container c : Probe.byService(deployment.project(), "sentinel")) {
            String expected = deployment.project() + "-sentinel-" + c.getLabels().get("io.redisha.index");
            assertEquals(expected, c.getNames()[0].substring(1));
            for (var port : c.getPorts()) {
                if (port.getPublicPort() != null) {
                    assertEquals("127.0.0.1", port.getIp(), expected + " publishes on loopback only");
                }
            }
        }

        Map<String, String> before = ids();
        Set<String> removedIps = Set.of(Engine.ip(before.get(name("sentinel", 4))), Engine.ip(before.get(name("sentinel", 5))));
        Cli.Result shrink = scale("sentinel=3");
        assertEquals(0, shrink.exitCode(), shrink::toString);
        assertTrue(shrink.err().contains("SENTINEL RESET mymaster on " + name("sentinel", 3) + " (3/3)"), shrink::toString);
        Probe.assertReady(deployment.project(), 2, 3);
        assertEquals(3, topology().sentinels().count());
        Map<String, String> after = ids();
        assertFalse(after.containsKey(name("sentinel", 4)) || after.containsKey(name("sentinel", 5)), after::toString);
        for (int i = 1; i <= 3; i++) {
            assertEquals(before.get(name("sentinel", i)), after.get(name("sentinel", i)), "survivors are kept");
            try (Jedis s = Probe.sentinel(after.get(name("sentinel", i)))) {
                assertEquals("2", s.sentinelMaster("mymaster").get("num-other-sentinels"), name("sentinel", i));
                List<String> known = s.sentinelSentinels("mymaster").stream().map(m -> m.get("ip")).toList();
                assertEquals(2, known.size(), name("sentinel", i) + " knows " + known);
                assertTrue(known.stream().noneMatch(removedIps::contains), name("sentinel", i) + " forgot " + removedIps);
            }
        }
    }

    @Test
    @Order(5)
    void replicasTwoToThreeToOne() throws Exception {
        Cli.Result grow = scale("replica=3");
        assertEquals(0, grow.exitCode(), grow::toString);
        Probe.assertReady(deployment.project(), 3, 3);
        assertEquals(3, topology().replicas().count());

        Map<String, String> before = ids();
        Set<String> removedIps = Set.of(Engine.ip(before.get(name("replica", 2))), Engine.ip(before.get(name("replica", 3))));
        Cli.Result shrink = scale("slave=1");
        assertEquals(0, shrink.exitCode(), shrink::toString);
        Probe.assertReady(deployment.project(), 1, 3);
        assertEquals(1, topology().replicas().count());
        assertTrue(file().contains("replicas: 1   # the replicas"), file());
        Map<String, String> after = ids();
        assertEquals(before.get(name("master", 1)), after.get(name("master", 1)));
        assertEquals(before.get(name("replica", 1)), after.get(name("replica", 1)));
        assertFalse(after.containsKey(name("replica", 2)) || after.containsKey(name("replica", 3)), after::toString);
        for (Container s : Probe.byService(deployment.project(), "sentinel")) {
            try (Jedis j = Probe.sentinel(s.getId())) {
                List<String> replicas = j.sentinelReplicas("mymaster").stream().map(m -> m.get("ip")).toList();
                assertEquals(1, replicas.size(), s.getNames()[0] + " knows " + replicas);
                assertTrue(replicas.stream().noneMatch(removedIps::contains), s.getNames()[0] + " forgot " + removedIps);
            }
        }
    }

    @Test
    @Order(6)
    void shrinkingReplicasAfterAFailoverKeepsTheCurrentMaster() throws Exception {
        Cli.Result grow = scale("replica=2");
        assertEquals(0, grow.exitCode(), grow::toString);
        Probe.assertReady(deployment.project(), 2, 3);

        // make Sentinel promote replica-2, the highest-numbered: the one a shrink by number would remove
        String replica1 = ids().get(name("replica", 1));
        String replica2 = ids().get(name("replica", 2));
        try (Jedis r = Probe.redis(replica1)) {
            r.configSet("replica-priority", "0");
        }
        String sentinel1 = ids().get(name("sentinel", 1));
        String replica1Ip = Engine.ip(replica1);
        await("sentinel-1 sees replica-1's priority 0", Duration.ofSeconds(60), () -> {
            try (Jedis s = Probe.sentinel(sentinel1)) {
                return s.sentinelReplicas("mymaster").stream()
                        .anyMatch(m -> replica1Ip.equals(m.get("ip")) && "0".equals(m.get("slave-priority")));
            }
        });
        try (Jedis s = Probe.sentinel(sentinel1)) {
            assertEquals("OK", s.sentinelFailover("mymaster"));
        }
        String replica2Ip = Engine.ip(replica2);
        await("every sentinel names replica-2 as master", Duration.ofSeconds(90), () ->
                Probe.byService(deployment.project(), "sentinel").stream().allMatch(c -> {
                    try (Jedis s = Probe.sentinel(c.getId())) {
                        return replica2Ip.equals(s.sentinelGetMasterAddrByName("mymaster").get(0));
                    }
                }));
        awaitStatusReady();

        Cli.Result shrink = scale("replica=1");
        assertEquals(0, shrink.exitCode(), shrink::toString);
        Map<String, String> after = ids();
        assertEquals(replica2, Probe.master(deployment.project()).getId(), "the current master stays master");
        assertFalse(after.containsKey(name("replica", 1)), "replica-1 was removed: " + after);
        assertTrue(after.containsKey(name("master", 1)), "master-1 is kept while a replica could go: " + after);
        Probe.assertReady(deployment.project(), 1, 3);

        Cli.Result toZero = scale("replica=0");
        assertEquals(0, toZero.exitCode(), toZero::toString);
        assertTrue(toZero.err().contains("warning: replicas.count: 0 replicas: nothing can be promoted"), toZero::toString);
        assertEquals(Set.of(replica2), Probe.byService(deployment.project(), "replica").stream().map(Container::getId)
                .collect(Collectors.toSet()));
        assertTrue(Probe.byService(deployment.project(), "master").isEmpty(), "master-1 went: it was the only non-master");
        Probe.assertReady(deployment.project(), 0, 3);

        Map<String, String> before = ids();
        Cli.Result up = deployment.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertFalse(up.err().contains("creating"), "up keeps the scaled counts: " + up);
        assertEquals(before, ids());
    }

    @Test
    @Order(7)
    void upRemovesWhatTheFileNoLongerAsksForTheSameWay() throws Exception {
        TopologyFileEditor.writeCounts(deployment.topology(), null, 2);
        Map<String, String> before = ids();
        Cli.Result up = deployment.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("removing " + name("sentinel", 3)), up::toString);
        assertTrue(up.err().contains("SENTINEL RESET mymaster on " + name("sentinel", 2) + " (2/2)"), up::toString);
        Probe.assertReady(deployment.project(), 0, 2);
        Map<String, String> after = ids();
        assertEquals(before.get(name("sentinel", 1)), after.get(name("sentinel", 1)));
        assertFalse(after.containsKey(name("sentinel", 3)));
    }

    private static void awaitStatusReady() {
        await("redisha status reports ready", Duration.ofSeconds(120), () -> deployment.run("status").exitCode() == 0);
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // a node may be between states; ask again
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting until " + what);
            }
        }
        fail("timed out after " + timeout.toSeconds() + " s waiting until " + what);
    }
}
