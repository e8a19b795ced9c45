package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.HostAndPortMapper;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * up converges settings on the real engine: run-time settings in place, an image change rolled
 * node by node under a Sentinel-aware client's writes (interrupted by SIGKILL and finished by the
 * next up), the dry run, and the refusal of a downgrade. One deployment walked through it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class RollingIT {
    private static final Path JAR = Cli.JAR;
    private static final String SETTINGS = "io.redisha.settings";
    private static Cli cli;
    private static String fromImage;
    private static String toImage;
    private static boolean taggedImage;

    @RegisterExtension
    static final Deployment deployments = Deployment.none();

    @BeforeAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    static void project() throws Exception {
        Engine.client();
        String env = System.getenv("REDISHA_IT_IMAGE");
        fromImage = env == null || env.isBlank() ? "redis:7" : env;
        cli = deployments.create("it-roll", "image: " + fromImage + "\n");
        toImage = fromImage.equals("redis:7") && exists("redis:8") ? "redis:8" : null;
        if (toImage == null) {
            // an image that differs by its name only proves the mechanics where no newer server is on the engine
            String id = Engine.client().inspectImageCmd(fromImage).exec().getId();
            Engine.client().tagImageCmd(id, "redisha-it-roll", "7b").exec();
            toImage = "redisha-it-roll:7b";
            taggedImage = true;
            deployments.removeImageAfterwards(cli, toImage);
        }
    }

    private static boolean exists(String image) {
        try {
            Engine.client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static void topology(String body) throws Exception {
        Files.writeString(cli.topology(), "project: " + cli.project() + "\n" + body);
    }

    private static Map<String, String> ids() {
        return Engine.containers(cli.project()).stream()
                .collect(Collectors.toMap(c -> c.getNames()[0].substring(1), Container::getId));
    }

    private static List<String> dryRunSteps() throws Exception {
        Cli.Result dry = cli.run("up", "--dry-run", "--output", "json");
        assertEquals(0, dry.exitCode(), dry::toString);
        List<String> steps = new ArrayList<>();
        for (JsonNode s : new ObjectMapper().readTree(dry.out()).get("steps")) {
            steps.add(s.get("action").asText() + " " + s.get("node").asText()
                    + (s.get("detail").isNull() || s.get("detail").asText().isEmpty() ? "" : ": " + s.get("detail").asText()));
        }
        return steps;
    }

    @Test
    @Order(1)
    void upDeploysAndRecordsEachNodesSettings() {
        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Probe.assertReady(cli.project(), 2, 3);
        for (Container c : Engine.containers(cli.project())) {
            String recorded = c.getLabels().get(SETTINGS);
            assertTrue(recorded != null && recorded.startsWith("image="), c.getNames()[0] + " records " + recorded);
        }
        Cli.Result dry = cli.run("up", "--dry-run");
        assertEquals(0, dry.exitCode(), dry::toString);
        assertTrue(dry.out().contains("nothing to do"), dry::toString);
    }

    @Test
    @Order(2)
    void runTimeSettingsAreAppliedInPlaceAndSurviveARestart() throws Exception {
        topology("image: " + fromImage + "\nresources:\n  maxmemory: 64m\n  maxmemory-policy: allkeys-lru\n"
                + "sentinels:\n  down-after-milliseconds: 4000\n");
        Map<String, String> before = ids();
        List<String> planned = dryRunSteps();
        assertEquals(before, ids(), "a dry run changes nothing");
        assertEquals(6, planned.size(), planned.toString());
        assertTrue(planned.stream().allMatch(s -> s.startsWith("change ")), planned.toString());

        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertEquals(before, ids(), "the same containers");
        for (String step : planned) {
            assertTrue(up.err().contains("plan: " + step) && up.err().contains("] " + step), step + " in " + up.err());
        }
        assertSettings();

        Container replica = Engine.container(cli.project(), "replica", 1);
        Container sentinel = Engine.container(cli.project(), "sentinel", 1);
        Engine.client().restartContainerCmd(replica.getId()).exec();
        Engine.client().restartContainerCmd(sentinel.getId()).exec();
        Poll<Void> back = Await.quietly().until(Await.deadline(Duration.ofSeconds(30)), () -> {
            try (Jedis r = Probe.redis(replica.getId()); Jedis s = Probe.sentinel(sentinel.getId())) {
                r.ping();
                s.ping();
                return Poll.ok();
            } catch (RuntimeException e) {
                return Poll.waiting(e.getMessage());
            }
        });
        assertTrue(back.done(), back::missing);
        assertSettings();
        assertTrue(cli.run("up", "--dry-run").out().contains("nothing to do"), "nothing left to change");
    }

    private static void assertSettings() {
        for (Container c : Probe.byService(cli.project(), "replica")) {
            try (Jedis j = Probe.redis(c.getId())) {
                assertEquals("67108864", j.configGet("maxmemory").get("maxmemory"), c.getNames()[0]);
                assertEquals("allkeys-lru", j.configGet("maxmemory-policy").get("maxmemory-policy"), c.getNames()[0]);
            }
        }
        for (Container c : Probe.byService(cli.project(), "sentinel")) {
            try (Jedis j = Probe.sentinel(c.getId())) {
                assertEquals("4000", j.sentinelMaster("mymaster").get("down-after-milliseconds"), c.getNames()[0]);
            }
        }
    }

    @Test
    @Order(3)
    void anImageChangeRollsEveryNodeKeepingAWritableMasterAndFinishesAfterSigkill() throws Exception {
        topology("image: " + toImage + "\nresources:\n  maxmemory: 64m\n  maxmemory-policy: allkeys-lru\n"
                + "sentinels:\n  down-after-milliseconds: 4000\n");
        Map<String, String> before = ids();
        Map<String, String> recordedBefore = Engine.containers(cli.project()).stream()
                .collect(Collectors.toMap(c -> c.getNames()[0].substring(1), c -> c.getLabels().get(SETTINGS)));
        List<String> planned = dryRunSteps();
        assertEquals(before, ids(), "a dry run changes nothing");
        assertEquals(7, planned.size(), planned.toString());
        assertTrue(planned.get(2).startsWith("switchover " + cli.project() + "-master-1"), planned.toString());

        try (Writer writer = new Writer()) {
            writer.start();
            Process up = launch("up");
            List<String> printed = awaitLine(up, "creating " + cli.project() + "-replica-2");
            up.destroyForcibly(); // SIGKILL, in the middle of the roll
            assertTrue(up.waitFor(10, TimeUnit.SECONDS));
            List<String> plannedByUp = printed.stream().filter(l -> l.contains("] plan: "))
                    .map(l -> l.substring(l.indexOf("] plan: ") + 8)).toList();
            assertEquals(planned, plannedByUp, "up plans what the dry run listed");

            Cli.Result again = cli.run("up");
            assertEquals(0, again.exitCode(), again::toString);
            writer.stop();
            List<String> done = new ArrayList<>(performed(printed));
            done.addAll(performed(again.err().lines().toList()));
            assertEquals(planned.stream().map(step -> step.substring(0, step.indexOf(':'))).toList(), done,
                    "the killed up and the next one did what the dry run listed, in its order");
            long pausedMillis = pausedMillis(again.err());
            String measured = "roll: " + writer.acknowledged.size() + " writes acknowledged, longest time without a"
                    + " successful write " + writer.longestGapMillis() + " ms, writes paused " + pausedMillis + " ms";
            System.out.println(measured);
            Transcript.line(measured);
            assertTrue(writer.acknowledged.size() > 100, measured);
            assertTrue(writer.longestGapMillis() < pausedMillis + 3000, measured);
            writer.assertAllAcknowledgedWritesRead();
        }

        List<Container> after = Engine.containers(cli.project());
        Set<String> names = after.stream().map(c -> c.getNames()[0]).collect(Collectors.toSet());
        assertEquals(6, after.size(), "no duplicate or missing node: " + names);
        assertEquals(6, names.size());
        for (Container c : after) {
            String name = c.getNames()[0].substring(1);
            assertNotEquals(before.get(name), c.getId(), name + " was replaced");
            assertNotEquals(recordedBefore.get(name), c.getLabels().get(SETTINGS), name + " records the new image");
            if (!"sentinel".equals(c.getLabels().get("io.redisha.service"))) {
                assertEquals(toImage, c.getImage(), name);
            }
            if (!taggedImage) {
                try (Jedis j = c.getLabels().get("io.redisha.service").equals("sentinel") ? Probe.sentinel(c.getId())
                        : Probe.redis(c.getId())) {
                    assertTrue(j.info("server").contains("redis_version:8."), name + " runs Redis 8");
                }
            }
        }
        Probe.assertReady(cli.project(), 2, 3);
        assertSettings();
        assertTrue(cli.run("up", "--dry-run").out().contains("nothing to do"), "nothing left to change");
        // the Sentinel image built from the old base is gone once no Sentinel runs on it
        List<String> untagged = Engine.client().listImagesCmd().withDanglingFilter(true)
                .withLabelFilter(Map.of("io.redisha.project", cli.project())).exec().stream()
                .map(com.github.dockerjava.api.model.Image::getId).toList();
        assertEquals(List.of(), untagged, "no earlier build of the project's Sentinel image is left");
    }

    @Test
    @Order(4)
    void aDowngradeIsRefusedWithNothingChanged() throws Exception {
        if (taggedImage) {
            return; // the same server under two names: there is no older one to go back to
        }
        topology("image: " + fromImage + "\nresources:\n  maxmemory: 64m\n  maxmemory-policy: allkeys-lru\n"
                + "sentinels:\n  down-after-milliseconds: 4000\n");
        Map<String, String> before = ids();
        Cli.Result dry = cli.run("up", "--dry-run");
        assertEquals(6, dry.exitCode(), dry::toString);
        assertTrue(dry.out().contains("refused: downgrade"), dry::toString);
        Cli.Result up = cli.run("up");
        assertEquals(6, up.exitCode(), up::toString);
        assertTrue(up.err().contains("downgrade") && up.err().contains("nothing was changed"), up::toString);
        assertEquals(1, up.err().strip().lines().filter(l -> l.contains("error")).count(), up::toString);
        assertEquals(before, ids());
    }

    /** "replace NODE" and "switchover NODE" for each replacement and switchover begun, from the progress lines. */
    private static List<String> performed(List<String> progress) {
        List<String> steps = new ArrayList<>();
        for (String line : progress) {
            String step = line.substring(line.indexOf(']') + 1).strip();
            if (step.startsWith("replace ")) {
                steps.add(step.substring(0, step.indexOf(':')));
            } else if (step.startsWith("switchover: ")) {
                steps.add("switchover " + step.substring("switchover: ".length(), step.indexOf(" -> ")));
            }
        }
        return steps;
    }

    private static long pausedMillis(String err) {
        return err.lines().filter(l -> l.contains("writes paused for ")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll(".*writes paused for (\\d+) ms.*", "$1")))
                .orElseThrow(() -> new AssertionError("no switchover in\n" + err));
    }

    private static Process launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-f", cli.topology().toString()));
        Transcript.line("$ " + String.join(" ", command) + " (a separate process: only the stderr lines read are shown)");
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Reads the process' stderr until a line contains the marker; returns the lines read. */
    private static List<String> awaitLine(Process p, String marker) throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = err.readLine()) != null) {
            Transcript.line(line);
            lines.add(line);
            if (line.contains(marker)) {
                return lines;
            }
        }
        throw new AssertionError("redisha ended before printing '" + marker + "' (exit " + p.waitFor() + ")");
    }

    /**
     * A Sentinel-aware client writing about 50 keys a second to whichever node the Sentinels name
     * master. Nodes get new addresses and ports as they are replaced, so its mapper asks the engine
     * which container has the address Sentinel gives out.
     */
    private static final class Writer implements AutoCloseable {
        final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong lastSuccess = new AtomicLong();
        private final AtomicLong longestGap = new AtomicLong();
        private final JedisSentineled redis;
        private final Thread thread = new Thread(this::run, "it-roll-writer");

        Writer() {
            HostAndPortMapper mapper = RollingIT::published;
            JedisClientConfig config = DefaultJedisClientConfig.builder().hostAndPortMapper(mapper)
                    .connectionTimeoutMillis(1000).socketTimeoutMillis(2000).build();
            Set<HostAndPort> sentinels = new HashSet<>();
            for (Container s : Probe.byService(cli.project(), "sentinel")) {
                sentinels.add(new HostAndPort(Engine.ip(s.getId()), 26379));
            }
            redis = new JedisSentineled("mymaster", config, sentinels, config);
        }

        void start() {
            lastSuccess.set(System.nanoTime());
            thread.start();
        }

        private void run() {
            for (long i = 0; !stop.get(); i++) {
                String key = "roll:" + i;
                try {
                    redis.set(key, Long.toString(i));
                    acknowledged.add(key);
                    long now = System.nanoTime();
                    longestGap.accumulateAndGet((now - lastSuccess.getAndSet(now)) / 1_000_000, Math::max);
                } catch (RuntimeException e) {
                    // not acknowledged: the master is switching, or the client follows it
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long longestGapMillis() {
            return longestGap.get();
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }

        void assertAllAcknowledgedWritesRead() {
            Container master = Probe.master(cli.project());
            List<String> keys = List.copyOf(acknowledged);
            List<String> lost = new ArrayList<>();
            try (Jedis m = Probe.redis(master.getId())) {
                for (int from = 0; from < keys.size(); from += 500) {
                    List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
                    List<String> values = m.mget(chunk.toArray(String[]::new));
                    for (int i = 0; i < chunk.size(); i++) {
                        if (values.get(i) == null) {
                            lost.add(chunk.get(i));
                        }
                    }
                }
            }
            assertEquals(List.of(), lost, "acknowledged writes missing on the master after the roll");
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            redis.close();
        }
    }

    /**
     * The loopback port of the container that has this address on the project's network; for an
     * address no container has any more, a loopback port nothing listens on (never the private address).
     */
    private static HostAndPort published(HostAndPort address) {
        for (Container c : Engine.containers(cli.project())) {
            if (c.getNetworkSettings() == null || c.getPorts() == null) {
                continue;
            }
            for (ContainerNetwork n : c.getNetworkSettings().getNetworks().values()) {
                if (address.getHost().equals(n.getIpAddress())) {
                    for (var p : c.getPorts()) {
                        if (p.getPrivatePort() != null && p.getPrivatePort() == address.getPort() && p.getPublicPort() != null) {
                            return new HostAndPort("127.0.0.1", p.getPublicPort());
                        }
                    }
                }
            }
        }
        return new HostAndPort("127.0.0.1", 1);
    }
}
