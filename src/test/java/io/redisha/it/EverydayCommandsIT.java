package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import io.redisha.cli.RedishaCli;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentineled;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * logs, cli and connect on the real engine, checked against the engine's own logs and plain Jedis.
 * One deployment; the last case fails it over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class EverydayCommandsIT {
    private static final Pattern PREFIXED = Pattern.compile("(\\S+) *\\| (.*)");
    private static final Set<String> ALL_NODES = Set.of("master-1", "replica-1", "replica-2", "sentinel-1",
            "sentinel-2", "sentinel-3");

    @RegisterExtension
    static final Deployment deployment = Deployment.of("it-every", "").up();

    /** Every line of the output is "NAME | text", all bars in one column; the lines of each node, in order. */
    static Map<String, List<String>> byNode(String out) {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        Set<Integer> barColumns = new TreeSet<>();
        for (String line : out.lines().toList()) {
            Matcher m = PREFIXED.matcher(line);
            assertTrue(m.matches(), "not 'NODE | line': " + line);
            barColumns.add(line.indexOf(" | "));
            lines.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
        }
        assertTrue(barColumns.size() <= 1, "the names are padded to one width: " + barColumns);
        return lines;
    }

    /** The container's log as the engine gives it, without redisha. */
    static List<String> engineLog(String containerId) throws InterruptedException {
        StringBuffer text = new StringBuffer();
        Engine.client().logContainerCmd(containerId).withStdOut(true).withStdErr(true)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
        return text.toString().lines().toList();
    }

    static String shortName(Container c) {
        return c.getLabels().get("io.redisha.service") + "-" + c.getLabels().get("io.redisha.index");
    }

    static void eventually(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, "not within 20 s: " + what);
            Thread.sleep(250);
        }
    }

    // ---- logs ------------------------------------------------------------------------------

    @Test
    @Order(0)
    void aProjectThatIsNotDeployedIsRefusedByEachAndNothingIsCreated() throws Exception {
        Cli none = deployment.create("it-none", "");
        for (String[] args : new String[][]{{"logs"}, {"cli", "GET", "k"}, {"connect"}}) {
            Cli.Result r = none.runFileFirst(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
            assertEquals(6, r.exitCode(), r::toString);
            assertTrue(r.err().startsWith("error: project " + none.project() + " is not deployed"), r::toString);
        }
        Engine.assertNothingOf(none.project());
    }

    @Test
    @Order(1)
    void logsShowEveryNodeEachLinePrefixedWithItsName() throws Exception {
        Cli.Result r = deployment.runFileFirst("logs");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, List<String>> lines = byNode(r.out());
        assertEquals(ALL_NODES, lines.keySet(), r::toString);
        assertTrue(lines.get("master-1").stream().anyMatch(l -> l.contains("Ready to accept connections")), r::toString);
        assertTrue(lines.get("sentinel-2").stream().anyMatch(l -> l.contains("+monitor master mymaster")), r::toString);
        // the same lines as the engine's log of the container
        Container master = Engine.container(deployment.project(), "master", 1);
        assertEquals(engineLog(master.getId()), lines.get("master-1"));

        Cli.Result json = deployment.runFileFirst("logs", "--output", "json", "sentinel-1");
        assertEquals(0, json.exitCode(), json::toString);
        for (String line : json.out().lines().toList()) {
            JsonNode record = new ObjectMapper().readTree(line);
            assertEquals("sentinel-1", record.get("node").asText());
            assertEquals(deployment.project() + "-sentinel-1", record.get("container").asText());
            assertTrue(record.has("line"), line);
        }
    }

    @Test
    @Order(2)
    void tailLimitsTheLinesOfEachNodeAndNodesAreNamedAsInStatus() throws Exception {
        Cli.Result tail = deployment.runFileFirst("logs", "--tail", "3");
        Cli.Result all = deployment.runFileFirst("logs");
        assertEquals(0, tail.exitCode(), tail::toString);
        Map<String, List<String>> full = byNode(all.out());
        Map<String, List<String>> last = byNode(tail.out());
        assertEquals(ALL_NODES, last.keySet());
        for (String node : ALL_NODES) {
            assertEquals(3, last.get(node).size(), node + ": " + tail);
            // the last lines then (a node may have logged more since)
            assertTrue(Collections.indexOfSubList(full.get(node), last.get(node)) >= 0, node + ": " + tail);
        }
        Cli.Result none = deployment.runFileFirst("logs", "--tail", "0");
        assertEquals(0, none.exitCode(), none::toString);
        assertEquals("", none.out());

        String master = shortName(Probe.master(deployment.project()));
        Cli.Result some = deployment.runFileFirst("logs", "--tail", "1", "master", "sentinel-2", deployment.project() + "-replica-2");
        assertEquals(0, some.exitCode(), some::toString);
        assertEquals(List.of(master, "sentinel-2", "replica-2"), new ArrayList<>(byNode(some.out()).keySet()));
        assertEquals(Set.of("sentinel-1", "sentinel-2", "sentinel-3"),
                byNode(deployment.runFileFirst("logs", "--tail", "1", "sentinels").out()).keySet());

        Cli.Result unknown = deployment.runFileFirst("logs", "replica-7");
        assertEquals(2, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("no node named 'replica-7'"), unknown::toString);
        Cli.Result badTail = deployment.runFileFirst("logs", "--tail", "-2");
        assertEquals(2, badTail.exitCode(), badTail::toString);
    }

    @Test
    @Order(3)
    void followShowsALineWrittenAfterItStartedAndEndsOnInterrupt() throws Exception {
        Container master = Probe.master(deployment.project());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread follow = new Thread(() -> exit.set(RedishaCli.run(new PrintWriter(out), new PrintWriter(err),
                "logs", "--file", deployment.topology().toString(), "-f", "--tail", "0", "master")));
        follow.start();
        // --tail 0: only lines written after it started; BGSAVE makes the master log one
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString().contains("Background saving started")) {
            assertTrue(follow.isAlive(), () -> "logs -f ended: " + out + err);
            assertTrue(System.nanoTime() < deadline, () -> "no new line followed within 30 s: " + out + err);
            try (Jedis jedis = Probe.redis(master.getId())) {
                jedis.bgsave();
            } catch (RuntimeException e) {
                // "Background save already in progress": the line is on its way
            }
            Thread.sleep(500);
        }
        assertTrue(out.toString().startsWith(shortName(master) + " | "), out::toString);
        assertTrue(follow.isAlive(), "still following");
        follow.interrupt();
        follow.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(follow.isAlive(), "logs -f ended on interrupt");
        assertEquals(0, exit.get(), err::toString);
    }

    // ---- cli -------------------------------------------------------------------------------

    @Test
    @Order(4)
    void cliSetOnTheMasterIsReadOnAReplica() throws Exception {
        Cli.Result set = deployment.runFileFirst("cli", "master", "SET", "greeting", "hello world");
        assertEquals(0, set.exitCode(), set::toString);
        assertEquals("OK\n", set.out());
        try (Jedis m = Probe.redis(Probe.master(deployment.project()).getId())) {
            assertEquals("hello world", m.get("greeting"), "written on the master");
        }
        eventually(() -> deployment.runFileFirst("cli", "replica-1", "GET", "greeting").out().equals("\"hello world\"\n"),
                "replica-1 returns the value");
        eventually(() -> deployment.runFileFirst("cli", deployment.project() + "-replica-2", "GET", "greeting").out()
                .equals("\"hello world\"\n"), "replica-2, named by its container, returns the value");
        Cli.Result byDefault = deployment.runFileFirst("cli", "GET", "greeting");
        assertEquals("\"hello world\"\n", byDefault.out(), byDefault::toString);
    }

    @Test
    @Order(5)
    void cliPrintsRepliesAsRedisCliAndExitsTenOnAnErrorReply() throws Exception {
        assertEquals("(integer) 1\n", deployment.runFileFirst("cli", "master", "INCR", "counter").out());
        assertEquals("(nil)\n", deployment.runFileFirst("cli", "master", "GET", "no-such-key").out());
        assertEquals("(integer) 2\n", deployment.runFileFirst("cli", "master", "RPUSH", "list", "a", "b c").out());
        assertEquals("1) \"a\"\n2) \"b c\"\n", deployment.runFileFirst("cli", "master", "LRANGE", "list", "0", "-1").out());
        assertEquals("a\nb c\n", deployment.runFileFirst("cli", "--raw", "master", "LRANGE", "list", "0", "-1").out());
        assertEquals("(empty array)\n", deployment.runFileFirst("cli", "master", "LRANGE", "no-list", "0", "-1").out());
        // words after the node are the command's, even those that look like options
        assertEquals("OK\n", deployment.runFileFirst("cli", "master", "SET", "negative", "-1").out());
        assertEquals("\"-1\"\n", deployment.runFileFirst("cli", "master", "GET", "negative").out());

        Cli.Result error = deployment.runFileFirst("cli", "master", "INCR", "greeting");
        assertEquals(10, error.exitCode(), error::toString);
        assertEquals("(error) ERR value is not an integer or out of range\n", error.out());

        String masterIp = Engine.ip(Probe.master(deployment.project()).getId());
        Cli.Result sentinel = deployment.runFileFirst("cli", "SENTINEL", "get-master-addr-by-name", "mymaster");
        assertEquals(0, sentinel.exitCode(), sentinel::toString);
        assertEquals("1) \"" + masterIp + "\"\n2) \"6379\"\n", sentinel.out(), "a SENTINEL command goes to a Sentinel");
        Cli.Result json = deployment.runFileFirst("cli", "--output", "json", "sentinel-3", "SENTINEL", "get-master-addr-by-name",
                "mymaster");
        assertEquals(List.of(masterIp, "6379"), List.of(new ObjectMapper().readValue(json.out(), String[].class)));
        assertEquals("{\n  \"error\" : \"ERR value is not an integer or out of range\"\n}\n",
                deployment.runFileFirst("cli", "-o", "json", "master", "INCR", "greeting").out());

        Cli.Result unknown = deployment.runFileFirst("cli", "replica-9", "GET", "x");
        assertEquals(2, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("no node named 'replica-9'"), unknown::toString);
        Cli.Result prompt = deployment.runFileFirst("cli", "master");
        assertEquals(2, prompt.exitCode(), prompt::toString);
        assertTrue(prompt.err().contains("no terminal"), prompt::toString);
    }

    // ---- connect ---------------------------------------------------------------------------

    @Test
    @Order(6)
    void connectOutputIsEnoughForAJedisClientToWriteThroughSentinelAcrossAFailover(@TempDir Path dir) throws Exception {
        Cli.Result connect = deployment.runFileFirst("connect", "--output", "json");
        assertEquals(0, connect.exitCode(), connect::toString);
        JsonNode c = new ObjectMapper().readTree(connect.out());
        List<String> sentinels = new ArrayList<>();
        c.get("sentinels").forEach(s -> sentinels.add(s.asText()));
        Set<String> published = new TreeSet<>();
        Probe.byService(deployment.project(), "sentinel").forEach(s -> published.add("127.0.0.1:" + Engine.hostPort(s.getId(), 26379)));
        assertEquals(published, new TreeSet<>(sentinels), "the Sentinels' published ports");
        Container before = Probe.master(deployment.project());
        assertEquals("127.0.0.1:" + Engine.hostPort(before.getId(), 6379),
                c.get("addressMap").get(Engine.ip(before.getId()) + ":6379").asText());
        Cli.Result env = deployment.runFileFirst("connect", "--output", "env");
        assertTrue(env.out().contains("REDISHA_SENTINELS=" + String.join(",", sentinels) + "\n"), env::toString);
        assertTrue(env.out().contains("REDISHA_MASTER_NAME=mymaster\n"), env::toString);

        Path file = dir.resolve("redis.json");
        Files.writeString(file, connect.out());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        try (JedisSentineled redis = ConnectExample.connect(file)) {
            assertEquals("OK", redis.set("before", "1"));
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        redis.set("during:" + i, "x");
                        written.incrementAndGet();
                    } catch (RuntimeException e) {
                        // the failover: the client finds the new master through Sentinel
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            writer.start();
            Cli.Result failover = deployment.run("failover-test", "--writes", "0");
            assertEquals(0, failover.exitCode(), failover::toString);
            int writtenAtTheEnd = written.get();
            eventually(() -> {
                try {
                    return "OK".equals(redis.set("after", "2"));
                } catch (RuntimeException e) {
                    return false;
                }
            }, "the client writes after the failover");
            eventually(() -> written.get() > writtenAtTheEnd, "the background writer goes on after the failover");
            stop.set(true);
            writer.join(5000);
        }
        Container after = Probe.master(deployment.project());
        assertNotEquals(before.getId(), after.getId(), "the master changed");
        try (Jedis m = Probe.redis(after.getId())) {
            assertEquals("2", m.get("after"), "written through Sentinel on the new master");
            assertEquals("1", m.get("before"));
        }
    }
}
