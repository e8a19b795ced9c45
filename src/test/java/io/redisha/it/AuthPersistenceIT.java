package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultRedisCredentials;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.HostAndPortMapper;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.RedisCredentials;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Production knobs on the real engine: authentication, persistence, limits, priorities. */
@Timeout(value = 7, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class AuthPersistenceIT {
    /** Spaces, quotes and a backslash: it must survive the config files' quoting intact. */
    private static final String REDIS_SECRET = "s3cret-redis_pa$$!word#%&";
    private static final String SENTINEL_SECRET = "sentinel-only-Xy9";

    @RegisterExtension
    final Deployment deployments = Deployment.none();

    private static Path secretFile(Cli cli, String name, String secret) throws Exception {
        Path file = cli.topology().resolveSibling(name);
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static Jedis authed(String containerId, int port, String password) {
        return new Jedis(new HostAndPort("127.0.0.1", Engine.hostPort(containerId, port)),
                DefaultJedisClientConfig.builder().password(password).timeoutMillis(3000).build());
    }

    @Test
    void withAuthClientsWithoutThePasswordAreRefusedAndTheSecretAppearsNowhere() throws Exception {
        Cli cli = deployments.create("it-auth", "auth:\n  password-file: redis.pass\n  sentinel-password-file: sentinel.pass\n");
        secretFile(cli, "redis.pass", REDIS_SECRET);
        secretFile(cli, "sentinel.pass", SENTINEL_SECRET);
        // the most diagnostics redisha prints: every library's DEBUG and each engine call, none with a secret
        Cli.Result up = cli.runProcess(java.time.Duration.ofMinutes(3), "up", "-vvv");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("o.a.h.c.http.headers"), "-vvv shows the HTTP client's diagnostics");

        Container master = Engine.container(cli.project(), "master", 1);
        Container sentinel = Engine.container(cli.project(), "sentinel", 1);
        try (Jedis anonymous = Probe.redis(master.getId())) {
            JedisDataException e = assertThrows(JedisDataException.class, anonymous::ping);
            assertTrue(e.getMessage().startsWith("NOAUTH"), e.getMessage());
        }
        try (Jedis anonymous = Probe.sentinel(sentinel.getId())) {
            assertThrows(JedisDataException.class, () -> anonymous.sentinelGetMasterAddrByName("mymaster"));
        }
        try (Jedis m = authed(master.getId(), 6379, REDIS_SECRET)) {
            assertEquals("OK", m.set("k", "v"));
            assertEquals("2", Probe.info(m).get("connected_slaves"), "replicas authenticate with masterauth");
        }
        for (Container s : Probe.byService(cli.project(), "sentinel")) {
            try (Jedis j = authed(s.getId(), 26379, SENTINEL_SECRET)) {
                var m = j.sentinelMaster("mymaster");
                assertEquals("2", m.get("num-slaves"));
                assertEquals("2", m.get("num-other-sentinels"), "Sentinels authenticate to each other");
                assertFalse(m.get("flags").contains("down"), m.get("flags"));
            }
        }

        Cli.Result text = cli.run("status");
        Cli.Result json = cli.run("status", "--output", "json");
        assertEquals(0, text.exitCode(), text::toString);
        ObjectMapper mapper = new ObjectMapper().disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS);
        for (Container c : Engine.containers(cli.project())) {
            var config = Engine.inspect(c.getId()).getConfig();
            String inspect = mapper.writeValueAsString(Engine.inspect(c.getId()))
                    + String.join(" ", config.getCmd()) + " " + (config.getEnv() == null ? "" : String.join(" ", config.getEnv()))
                    + " " + config.getLabels();
            String logs = String.join("\n", tail(c.getId()));
            for (String secret : List.of(REDIS_SECRET, SENTINEL_SECRET, "s3cret", "sentinel-only")) {
                assertFalse(inspect.contains(secret), "docker inspect of " + c.getNames()[0] + " shows a secret");
                assertFalse(logs.contains(secret), "the logs of " + c.getNames()[0] + " show a secret");
            }
        }
        Cli.Result failover = cli.run("failover-test", "--writes", "20", "--output", "json");
        assertEquals(0, failover.exitCode(), "failover-test passes with auth on: " + failover);
        for (String output : List.of(up.out(), up.err(), text.out(), json.out(), failover.out(), failover.err())) {
            assertFalse(output.contains("s3cret") || output.contains("sentinel-only"), output);
        }
    }

    private static List<String> tail(String id) throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        Engine.client().logContainerCmd(id).withStdOut(true).withStdErr(true)
                .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                    @Override
                    public void onNext(com.github.dockerjava.api.model.Frame f) {
                        lines.add(new String(f.getPayload()));
                    }
                }).awaitCompletion();
        return lines;
    }

    private static final String ONE_PASSWORD = "auth:\n  password-file: redis.pass\n  sentinel-password-file: sentinel.pass\n";

    /** A client configuration through {@code mapper} whose every new connection logs in as {@code credentials} say then. */
    private static JedisClientConfig loggingIn(HostAndPortMapper mapper, Supplier<RedisCredentials> credentials) {
        return DefaultJedisClientConfig.builder().hostAndPortMapper(mapper).credentialsProvider(credentials).build();
    }

    /** up with the Redis password redis-pw-1 and the Sentinel password sentinel-pw-1 in their files. */
    private static Cli.Result upWithOnePassword(Cli cli) throws Exception {
        secretFile(cli, "redis.pass", "redis-pw-1");
        secretFile(cli, "sentinel.pass", "sentinel-pw-1");
        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        return up;
    }

    /** The addresses Sentinel names mapped to the ones this machine dials, as connect gives them. */
    private static HostAndPortMapper addressMap(Cli cli) throws Exception {
        JsonNode connect = new ObjectMapper().readTree(cli.run("connect", "--output", "json").out());
        Map<HostAndPort, HostAndPort> table = new HashMap<>();
        connect.get("addressMap").fields().forEachRemaining(e ->
                table.put(HostAndPort.from(e.getKey()), HostAndPort.from(e.getValue().asText())));
        return address -> table.getOrDefault(address, address);
    }

    /** The Sentinels' addresses as connect gives them. */
    private static Set<HostAndPort> sentinels(Cli cli) throws Exception {
        Set<HostAndPort> sentinels = new HashSet<>();
        new ObjectMapper().readTree(cli.run("connect", "--output", "json").out()).get("sentinels")
                .forEach(s -> sentinels.add(HostAndPort.from(s.asText())));
        return sentinels;
    }

    /**
     * The Redis and the Sentinel password changed in their files: up gives the nodes the new ones beside the
     * old (--keep-old-passwords), the writer switches, up removes the old ones; no command fails, no
     * failover happens, no container is replaced.
     */
    @Test
    void changedPasswordsRotateUnderAWriterWithoutAFailedCommandOrAFailover() throws Exception {
        Cli cli = deployments.create("it-rotate", ONE_PASSWORD);
        Cli.Result up = upWithOnePassword(cli);
        HostAndPortMapper mapper = addressMap(cli);
        Set<HostAndPort> sentinels = sentinels(cli);
        AtomicReference<String> generation = new AtomicReference<>("1");
        JedisClientConfig masterConfig = loggingIn(mapper, () -> new DefaultRedisCredentials(null, "redis-pw-" + generation.get()));
        JedisClientConfig sentinelConfig = loggingIn(mapper, () -> new DefaultRedisCredentials(null, "sentinel-pw-" + generation.get()));

        List<String> ids = Engine.containers(cli.project()).stream().map(Container::getId).sorted().toList();
        String sentinelId = Engine.container(cli.project(), "sentinel", 1).getId();
        String epoch = configEpoch(sentinelId, "sentinel-pw-1");
        PacedWriter writer;
        long rotationMillis;
        Cli.Result dryRun;
        Cli.Result keep;
        Cli.Result finish;
        try (JedisSentineled client = new JedisSentineled("mymaster", masterConfig, sentinels, sentinelConfig)) {
            writer = PacedWriter.start("rotation-writer", n -> client.set("w:" + n, Long.toString(n)));
            Thread.sleep(1000);
            long start = System.nanoTime();
            secretFile(cli, "redis.pass", "redis-pw-2");
            secretFile(cli, "sentinel.pass", "sentinel-pw-2");
            dryRun = cli.run("up", "--dry-run");
            assertEquals(0, dryRun.exitCode(), dryRun::toString);
            assertTrue(dryRun.out().contains("Redis password: the new one added beside the old"), dryRun::toString);
            assertTrue(dryRun.out().contains("Sentinel password: the new one added beside the old"), dryRun::toString);
            keep = cli.run("up", "--keep-old-passwords");
            assertEquals(0, keep.exitCode(), keep::toString);
            Cli.Result half = cli.run("status");
            assertTrue(half.out().contains("password rotation half done"), half::toString);
            generation.set("2");
            finish = cli.run("up");
            assertEquals(0, finish.exitCode(), finish::toString);
            rotationMillis = (System.nanoTime() - start) / 1_000_000;
            assertFalse(cli.run("status").out().contains("password rotation half done"));
            Thread.sleep(1000);
            writer.stop();
        }
        System.out.printf("rotation of the Redis and the Sentinel password: %d writes at 50/s, %d failed, %d ms from the"
                + " new files to the old passwords removed%n", writer.writes(), writer.failed(), rotationMillis);
        assertEquals(0, writer.failed(), () -> "failed writes, the first: " + writer.firstFailure());
        assertEquals(ids, Engine.containers(cli.project()).stream().map(Container::getId).sorted().toList(),
                "no container may be replaced");
        assertEquals(epoch, configEpoch(sentinelId, "sentinel-pw-2"), "no failover may happen");
        for (Cli.Result r : List.of(up, dryRun, keep, finish)) {
            assertFalse((r.out() + r.err()).contains("-pw-"), "output shows a password: " + r);
        }
        for (Container c : Engine.containers(cli.project())) {
            boolean sentinel = "sentinel".equals(c.getLabels().get("io.redisha.service"));
            int port = sentinel ? 26379 : 6379;
            String kind = sentinel ? "sentinel" : "redis";
            try (Jedis j = new Jedis("127.0.0.1", Engine.hostPort(c.getId(), port), 3000)) {
                assertThrows(JedisAccessControlException.class, () -> j.auth(kind + "-pw-1"),
                        "the old password on " + c.getNames()[0]);
                assertEquals("OK", j.auth(kind + "-pw-2"));
            }
        }
        // a replica restarted after the rotation links with the new password its file now holds
        Container replica = Engine.container(cli.project(), "replica", 2);
        Engine.client().restartContainerCmd(replica.getId()).withTimeout(5).exec();
        Cli.Result ready = cli.run("up");
        assertEquals(0, ready.exitCode(), ready::toString);
        try (Jedis j = authed(replica.getId(), 6379, "redis-pw-2")) {
            assertEquals("up", Probe.info(j).get("master_link_status"));
        }
    }

    private static final String USERS_AUTH = AclUsersIT.COMPONENT_USERS
            + "    app: {password-file: app.pass, rules: \"~w:* +@all -@dangerous\"}\n";

    private static Jedis asUser(String containerId, int port, String user, String password) {
        Jedis j = new Jedis(new HostAndPort("127.0.0.1", Engine.hostPort(containerId, port)),
                DefaultJedisClientConfig.builder().timeoutMillis(3000).build());
        j.auth(user, password);
        return j;
    }

    @Test
    void usersAddedToAOnePasswordDeploymentMoveInPlaceUnderAWriterWithoutAFailedCommandOrAFailover() throws Exception {
        Cli cli = deployments.create("it-to-users", ONE_PASSWORD);
        Cli.Result up = upWithOnePassword(cli);
        HostAndPortMapper mapper = addressMap(cli);
        Set<HostAndPort> sentinels = sentinels(cli);
        // the application logs in with the one password, then (between the two ups) as its users
        java.util.concurrent.atomic.AtomicBoolean users = new java.util.concurrent.atomic.AtomicBoolean();
        JedisClientConfig masterConfig = loggingIn(mapper, () -> users.get()
                ? new DefaultRedisCredentials("app", "app-pw-9") : new DefaultRedisCredentials(null, "redis-pw-1"));
        JedisClientConfig sentinelConfig = loggingIn(mapper, () -> users.get()
                ? new DefaultRedisCredentials("discovery", "discovery-pw-9") : new DefaultRedisCredentials(null, "sentinel-pw-1"));

        List<String> ids = Engine.containers(cli.project()).stream().map(Container::getId).sorted().toList();
        String sentinelId = Engine.container(cli.project(), "sentinel", 1).getId();
        String epoch = configEpoch(sentinelId, "sentinel-pw-1");
        PacedWriter writer;
        long migrationMillis;
        Cli.Result dryRun;
        Cli.Result keep;
        Cli.Result finish;
        try (JedisSentineled client = new JedisSentineled("mymaster", masterConfig, sentinels, sentinelConfig)) {
            writer = PacedWriter.start("to-users-writer", n -> client.set("w:" + n, Long.toString(n)));
            Thread.sleep(1000);
            long start = System.nanoTime();
            // no blank in these: Redis 7.0's Sentinel writes sentinel-pass unquoted when it rewrites its file
            for (String user : List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery", "app")) {
                secretFile(cli, user + ".pass", user + "-pw-9");
            }
            String topology = Files.readString(cli.topology());
            Files.writeString(cli.topology(), topology.substring(0, topology.indexOf("auth:")) + USERS_AUTH);
            dryRun = cli.run("up", "--dry-run", "--keep-old-passwords");
            assertEquals(0, dryRun.exitCode(), dryRun::toString);
            assertTrue(dryRun.out().contains("from one password to users: 1. the users created beside the default user"),
                    dryRun::toString);
            keep = cli.run("up", "--keep-old-passwords");
            assertEquals(0, keep.exitCode(), keep::toString);
            Cli.Result half = cli.run("status");
            assertTrue(half.out().contains("from one password to users half done"), half::toString);
            users.set(true);
            // new connections log in as the users: the old password still works, and the users already do
            try (Jedis j = asUser(Engine.container(cli.project(), "master", 1).getId(), 6379, "app", "app-pw-9")) {
                assertEquals("OK", j.set("w:check", "1"));
            }
            finish = cli.run("up");
            assertEquals(0, finish.exitCode(), finish::toString);
            migrationMillis = (System.nanoTime() - start) / 1_000_000;
            assertFalse(cli.run("status").out().contains("from one password to users"));
            Thread.sleep(1000);
            writer.stop();
        }
        System.out.printf("from one password to users: %d writes at 50/s, %d failed, %d ms from the new topology to the"
                + " default user off%n", writer.writes(), writer.failed(), migrationMillis);
        assertEquals(0, writer.failed(), () -> "failed writes, the first: " + writer.firstFailure());
        assertEquals(ids, Engine.containers(cli.project()).stream().map(Container::getId).sorted().toList(),
                "no container may be replaced");
        try (Jedis s = asUser(sentinelId, 26379, "discovery", "discovery-pw-9")) {
            assertEquals(epoch, s.sentinelMaster("mymaster").get("config-epoch"), "no failover may happen");
        }
        for (Cli.Result r : List.of(up, dryRun, keep, finish)) {
            assertFalse((r.out() + r.err()).contains("pw-9") || (r.out() + r.err()).contains("-pw-1"),
                    "output shows a password: " + r);
        }
        // a restarted Sentinel keeps the default user off (its file's requirepass line is overridden by its user line)
        Container sentinel3 = Engine.container(cli.project(), "sentinel", 3);
        Engine.client().restartContainerCmd(sentinel3.getId()).withTimeout(5).exec();
        Container replica = Engine.container(cli.project(), "replica", 2);
        Engine.client().restartContainerCmd(replica.getId()).withTimeout(5).exec();
        Cli.Result ready = cli.run("up");
        assertEquals(0, ready.exitCode(), ready::toString);
        for (Container c : Engine.containers(cli.project())) {
            boolean sentinel = "sentinel".equals(c.getLabels().get("io.redisha.service"));
            int port = sentinel ? 26379 : 6379;
            String kind = sentinel ? "sentinel" : "redis";
            try (Jedis j = new Jedis("127.0.0.1", Engine.hostPort(c.getId(), port), 3000)) {
                assertThrows(JedisAccessControlException.class, () -> j.auth(kind + "-pw-1"),
                        "the default user on " + c.getNames()[0]);
                assertEquals("OK", j.auth("redisha", "redisha-pw-9"));
                assertTrue(j.aclGetUser("default").getFlags().contains("off"), c.getNames()[0]);
            }
            if (sentinel) {
                try (Jedis j = asUser(c.getId(), port, "discovery", "discovery-pw-9")) {
                    assertEquals(2, j.sentinelGetMasterAddrByName("mymaster").size());
                    assertThrows(JedisDataException.class, () -> j.sentinelReset("mymaster"), "discovery may not reset");
                }
            } else {
                try (Jedis j = asUser(c.getId(), port, "app", "app-pw-9")) {
                    assertThrows(JedisDataException.class, () -> j.get("other:1"), "app reads its own keys only");
                    assertThrows(JedisDataException.class, j::flushAll, "app may not flush");
                }
            }
        }
        // the replica restarted afterwards links as the replication user, its restart protection asked the
        // Sentinels as redisha
        try (Jedis j = asUser(replica.getId(), 6379, "redisha", "redisha-pw-9")) {
            assertEquals("up", Probe.info(j).get("master_link_status"));
        }
        String logs = Engine.logs(replica.getId());
        assertTrue(logs.contains("redisha: following the master the Sentinels name"), logs);
    }

    /** The Sentinel's view of the master's config epoch: it changes with every failover. */
    private static String configEpoch(String sentinelId, String password) {
        try (Jedis s = authed(sentinelId, 26379, password)) {
            return s.sentinelMaster("mymaster").get("config-epoch");
        }
    }

    @Test
    void aMissingPasswordVariableIsOneLineAndCreatesNothing() throws Exception {
        Cli cli = deployments.create("it-noenv", "auth:\n  password-env: REDISHA_IT_SURELY_UNSET_VARIABLE\n");
        Cli.Result up = cli.run("up");
        assertEquals(3, up.exitCode(), up::toString);
        assertTrue(up.err().contains("auth.password-env: environment variable REDISHA_IT_SURELY_UNSET_VARIABLE is not set"),
                up::toString);
        Engine.assertNothingOf(cli.project());
    }

    @Test
    void aPersistentMasterKilledAndRestartedKeepsItsDataAndDownKeepsTheVolumes() throws Exception {
        Cli cli = deployments.create("it-persist", "persistence: aof\nresources:\n  memory: 256m\n  maxmemory: 64m\n"
                + "  maxmemory-policy: allkeys-lru\nreplicas:\n  count: 2\n  priorities: [0]\n");
        assertEquals(0, cli.run("up").exitCode());
        String masterId = Engine.container(cli.project(), "master", 1).getId();
        try (Jedis m = Probe.redis(masterId)) {
            for (int i = 0; i < 200; i++) {
                m.set("key:" + i, "value:" + i);
            }
            // appendfsync everysec may answer a write before it is in the file, when an fsync is still
            // running (Redis postpones the write for up to 2 s): what a SIGKILL keeps is what was written
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!m.info("persistence").contains("aof_buffer_length:0\r") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        Engine.client().killContainerCmd(masterId).withSignal("SIGKILL").exec();
        Engine.client().startContainerCmd(masterId).exec();
        awaitPing(masterId);
        try (Jedis m = Probe.redis(masterId)) {
            assertEquals("value:199", m.get("key:199"), "the AOF brought the data back after SIGKILL");
            assertEquals(200, m.dbSize());
            assertEquals(Long.toString(64L << 20), m.configGet("maxmemory").get("maxmemory"));
            assertEquals("allkeys-lru", m.configGet("maxmemory-policy").get("maxmemory-policy"));
        }
        assertEquals(256L << 20, Engine.inspect(masterId).getHostConfig().getMemory());
        try (Jedis r = Probe.redis(Engine.container(cli.project(), "replica", 1).getId())) {
            assertEquals("0", r.configGet("replica-priority").get("replica-priority"));
        }
        assertEquals(3, Engine.volumes(cli.project()).size(), "one labelled data volume per Redis node");

        Cli.Result down = cli.run("down");
        assertEquals(0, down.exitCode(), down::toString);
        assertTrue(down.out().contains("kept 3 data volumes"), down::toString);
        assertEquals(0, cli.run("up").exitCode());
        try (Jedis m = Probe.redis(Probe.master(cli.project()).getId())) {
            assertEquals(200, m.dbSize(), "the data survived down and up");
        }
        Cli.Result purge = cli.run("down", "--volumes");
        assertEquals(0, purge.exitCode(), purge::toString);
        assertTrue(Engine.volumes(cli.project()).isEmpty());
    }

    private static void awaitPing(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Jedis j = Probe.redis(id)) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }
}
