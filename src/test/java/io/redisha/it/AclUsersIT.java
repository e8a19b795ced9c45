package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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

/**
 * auth.users on the real engine, checked with plain Jedis: each user can do what its component needs and
 * nothing more, a rule set Sentinel could not work with is refused before anything is made, passwords are
 * rotated under a writer without a failed command or a failover, and failover-test passes with every fault.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class AclUsersIT {
    /** The components' users, each password in a file named after it: {@code auth:} with its users, to add to. */
    static final String COMPONENT_USERS = """
            auth:
              users:
                redisha: {password-file: redisha.pass}
                replication: {password-file: replication.pass}
                sentinel: {password-file: sentinel.pass}
                sentinel-peer: {password-file: sentinel-peer.pass}
                discovery: {password-file: discovery.pass}
            """;
    static final String USERS = "replicas: 2\nsentinels: 3\n" + COMPONENT_USERS
            + "    app: {password-file: app.pass, rules: \"~app:* +@all -@dangerous\"}\n";
    private static final List<String> USER_NAMES = List.of("redisha", "replication", "sentinel", "sentinel-peer",
            "discovery", "app");

    /**
     * The deployment's Sentinels detect a down master in 2 s instead of 5 s: the failover-test rounds
     * prove that the minimal rules let Sentinel and replication work through every fault, not how long
     * Sentinel waits, and each round (and the default partition's length) waits it once.
     */
    @RegisterExtension
    static final Deployment deployment = withPasswords(Deployment.of("it-acl-users",
            USERS.replace("sentinels: 3\n", "sentinels:\n  count: 3\n  down-after-milliseconds: 2000\n")), "1").up();

    @RegisterExtension
    final Deployment others = Deployment.none();

    static Deployment withPasswords(Deployment d, String generation) {
        for (String user : USER_NAMES) {
            d.withSecretFile(user + ".pass", password(user, generation));
        }
        return d;
    }

    /**
     * A user's password: with spaces and quotes where servers keep only its hash (proving it is
     * quoted wherever redisha writes it), plain for the users whose passwords servers write back
     * into their own files (refused otherwise: see Passwords#checkWrittenBack).
     */
    /** The generation of redisha's own password the nodes accept: it is rotated with the others. */
    private static volatile String adminGeneration = "1";

    static String password(String user, String generation) {
        return io.redisha.topology.Users.WRITTEN_BACK.contains(user) ? "pw-" + user + "-" + generation
                : "pw " + user + " \"" + generation + "\"";
    }

    private static Jedis redis(Container c) {
        return new Jedis("127.0.0.1", Engine.hostPort(c.getId(), 6379), 2000);
    }

    private static Jedis sentinel(Container c) {
        return new Jedis("127.0.0.1", Engine.hostPort(c.getId(), 26379), 2000);
    }

    private static Container master() {
        return Engine.container(deployment.project(), "master", 1);
    }

    @Test
    @Order(1)
    void eachUserCanDoWhatItsComponentNeedsAndNothingMore() throws Exception {
        Container master = master();
        try (Jedis j = redis(master)) {
            JedisDataException noAuth = assertThrows(JedisDataException.class, () -> j.get("app:1"));
            assertTrue(noAuth.getMessage().startsWith("NOAUTH"), noAuth.getMessage());
            assertThrows(JedisAccessControlException.class, () -> j.auth("default", "anything"));
        }
        try (Jedis j = redis(master)) {
            j.auth("sentinel", password("sentinel", "1"));
            assertTrue(j.info("replication").contains("role:master"));
            assertNoPerm(() -> j.get("app:1"));
            assertNoPerm(j::flushAll);
        }
        try (Jedis j = redis(master)) {
            j.auth("replication", password("replication", "1"));
            assertEquals("PONG", j.ping());
            assertNoPerm(() -> j.get("app:1"));
        }
        try (Jedis j = redis(master)) {
            j.auth("app", password("app", "1"));
            assertEquals("OK", j.set("app:1", "v"));
            assertEquals("v", j.get("app:1"));
            assertNoPerm(() -> j.get("other:1"));
            assertNoPerm(j::flushAll);
        }
        Container sentinel = Engine.container(deployment.project(), "sentinel", 1);
        try (Jedis s = sentinel(sentinel)) {
            JedisDataException noAuth = assertThrows(JedisDataException.class, () -> s.sentinelMasters());
            assertTrue(noAuth.getMessage().startsWith("NOAUTH"), noAuth.getMessage());
        }
        try (Jedis s = sentinel(sentinel)) {
            s.auth("discovery", password("discovery", "1"));
            assertEquals(2, s.sentinelGetMasterAddrByName("mymaster").size());
            // what redis-py finds the master and the replicas with
            assertEquals(1, s.sentinelMasters().size());
            assertEquals(2, s.sentinelSlaves("mymaster").size());
            assertNoPerm(() -> s.sentinelSet("mymaster", Map.of("quorum", "1")));
            assertNoPerm(() -> s.sentinelFailover("mymaster"));
        }
        // redisha cli --user: as an application user, with the password of its file
        Cli.Result asApp = deployment.runFileFirst("cli", "--user", "app", "master", "SET", "app:cli", "v");
        assertEquals(0, asApp.exitCode(), asApp::toString);
        Cli.Result denied = deployment.runFileFirst("cli", "--user", "app", "master", "GET", "other:1");
        assertEquals(10, denied.exitCode(), denied::toString);
        assertTrue(denied.out().contains("NOPERM"), denied::toString);
        Cli.Result discovery = deployment.runFileFirst("cli", "--user", "discovery", "SENTINEL", "SET", "mymaster", "quorum", "1");
        assertTrue(discovery.out().contains("NOPERM"), discovery::toString);
        // the users example of docs/users.md: app on the Redis nodes, discovery on the Sentinels
        Path connect = deployment.topology().resolveSibling("connect.json");
        Files.writeString(connect, deployment.run("connect", "--output", "json").out());
        try (JedisSentineled client = ConnectExample.connectAsUsers(connect)) {
            assertEquals("OK", client.set("app:example", "v"));
            assertEquals("v", client.get("app:example"));
            assertNoPerm(() -> client.get("other:1"));
        }
        // no password in a label, an environment variable, a command line or anything else inspect shows
        ObjectMapper json = new ObjectMapper().disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS);
        for (Container c : Engine.containers(deployment.project())) {
            String inspect = json.writeValueAsString(Engine.inspect(c.getId()));
            for (String user : USER_NAMES) {
                assertFalse(inspect.contains(password(user, "1")), c.getNames()[0] + " shows the password of " + user);
            }
        }
    }

    private static void assertNoPerm(Runnable command) {
        JedisDataException e = assertThrows(JedisDataException.class, command::run);
        assertTrue(e.getMessage().startsWith("NOPERM"), e.getMessage());
    }

    @Test
    @Order(2)
    void aSentinelUserWithoutPublishIsRefusedBeforeAnythingIsCreated() throws Exception {
        Cli cli = others.create("it-acl-refused", USERS.replace("sentinel: {password-file: sentinel.pass}",
                "sentinel: {password-file: sentinel.pass, rules: \"-@all allchannels +multi +slaveof +ping +exec"
                        + " +subscribe +config|rewrite +role +info +client|setname +client|kill +script|kill\"}"));
        for (String user : USER_NAMES) {
            Files.writeString(cli.topology().resolveSibling(user + ".pass"), password(user, "1") + "\n");
        }
        Cli.Result up = cli.run("up");
        assertEquals(3, up.exitCode(), up::toString);
        assertTrue(up.err().lines().anyMatch(l -> l.contains("auth.users.sentinel.rules") && l.contains("does not allow publish")),
                up::toString);
        assertTrue(Engine.containers(cli.project()).isEmpty(), "nothing may be created");
        assertTrue(Engine.networks(cli.project()).isEmpty(), "nothing may be created");
    }

    /**
     * The application's password, as an application reads it when it connects: a rotation first gives the
     * nodes the new one beside the old (up --keep-old-passwords), then the application switches, then up
     * removes the old one.
     */
    @Test
    @Order(3)
    void passwordsRotateUnderAWriterWithoutAFailedCommandOrAFailover() throws Exception {
        JsonNode connect = new ObjectMapper().readTree(deployment.run("connect", "--output", "json").out());
        assertEquals("app", connect.get("redisPassword").get("user").asText(), connect::toString);
        assertEquals("discovery", connect.get("sentinelPassword").get("user").asText(), connect::toString);
        Map<HostAndPort, HostAndPort> table = new HashMap<>();
        connect.get("addressMap").fields().forEachRemaining(e ->
                table.put(HostAndPort.from(e.getKey()), HostAndPort.from(e.getValue().asText())));
        HostAndPortMapper mapper = address -> table.getOrDefault(address, address);
        Set<HostAndPort> sentinels = new HashSet<>();
        connect.get("sentinels").forEach(s -> sentinels.add(HostAndPort.from(s.asText())));
        AtomicReference<String> generation = new AtomicReference<>("1");
        Supplier<RedisCredentials> app = () -> new DefaultRedisCredentials("app", password("app", generation.get()));
        Supplier<RedisCredentials> discovery = () -> new DefaultRedisCredentials("discovery", password("discovery", generation.get()));
        JedisClientConfig masterConfig = DefaultJedisClientConfig.builder().hostAndPortMapper(mapper).credentialsProvider(app).build();
        JedisClientConfig sentinelConfig = DefaultJedisClientConfig.builder().hostAndPortMapper(mapper)
                .credentialsProvider(discovery).build();

        List<String> ids = Engine.containers(deployment.project()).stream().map(Container::getId).sorted().toList();
        String epoch = configEpoch();
        PacedWriter writer;
        long rotationMillis;
        try (JedisSentineled client = new JedisSentineled("mymaster", masterConfig, sentinels, sentinelConfig)) {
            writer = PacedWriter.start("acl-writer", n -> client.set("app:w:" + n, Long.toString(n)));
            Thread.sleep(1000);
            long start = System.nanoTime();
            for (String user : List.of("app", "sentinel", "replication", "sentinel-peer", "discovery", "redisha")) {
                Files.writeString(deployment.topology().resolveSibling(user + ".pass"), password(user, "2") + "\n");
            }
            Cli.Result keep = deployment.run("up", "--keep-old-passwords");
            assertEquals(0, keep.exitCode(), keep::toString);
            assertTrue(keep.err().contains("password of user redisha: the new one added beside the former"), keep::toString);
            adminGeneration = "2";
            Cli.Result half = deployment.run("status");
            assertTrue(half.out().contains("password rotation half done"), half::toString);
            generation.set("2");
            Cli.Result finish = deployment.run("up");
            assertEquals(0, finish.exitCode(), finish::toString);
            rotationMillis = (System.nanoTime() - start) / 1_000_000;
            assertFalse(deployment.run("status").out().contains("password rotation half done"));
            Thread.sleep(1000);
            writer.stop();
            for (String line : List.of(keep.err(), finish.err())) {
                for (String user : USER_NAMES) {
                    assertFalse(line.contains(password(user, "1")) || line.contains(password(user, "2")), "output shows a password");
                }
            }
        }
        System.out.printf("rotation of app, sentinel, replication, sentinel-peer, discovery and redisha passwords: %d writes at 50/s,"
                + " %d failed, %d ms from the new files to the old passwords removed%n", writer.writes(), writer.failed(), rotationMillis);
        assertEquals(0, writer.failed(), () -> "failed writes, the first: " + writer.firstFailure());
        assertEquals(ids, Engine.containers(deployment.project()).stream().map(Container::getId).sorted().toList(),
                "no container may be replaced");
        assertEquals(epoch, configEpoch(), "no failover may happen");

        for (Container c : Engine.containers(deployment.project())) {
            boolean isSentinel = "sentinel".equals(c.getLabels().get("io.redisha.service"));
            for (String user : isSentinel ? List.of("discovery", "sentinel-peer", "redisha")
                    : List.of("app", "sentinel", "replication", "redisha")) {
                try (Jedis j = isSentinel ? sentinel(c) : redis(c)) {
                    assertThrows(JedisAccessControlException.class, () -> j.auth(user, password(user, "1")),
                            "the old password of " + user + " on " + c.getNames()[0]);
                    assertEquals("OK", j.auth(user, password(user, "2")));
                }
            }
        }
        // a replica restarted after the rotation links with the new replication password it persisted, and its
        // restart protection holds redisha's new password (mode 600)
        Container replica = Engine.container(deployment.project(), "replica", 2);
        assertEquals("600 " + password("redisha", "2"), Engine.exec(replica.getId(), "sh", "-c",
                "printf '%s ' $(stat -c %a /data/.redisha-sentinel-auth); cat /data/.redisha-sentinel-auth"),
                "the restart protection's copy of redisha's password");
        Engine.client().restartContainerCmd(replica.getId()).withTimeout(5).exec();
        Cli.Result ready = deployment.run("up");
        assertEquals(0, ready.exitCode(), ready::toString);
        try (Jedis j = redis(replica)) {
            assertEquals("OK", j.auth("app", password("app", "2")));
            j.auth("redisha", password("redisha", adminGeneration));
            assertTrue(j.info("replication").contains("master_link_status:up"));
        }
    }

    /** The Sentinel's view of the master's config epoch: it changes with every failover. */
    private static String configEpoch() {
        try (Jedis s = sentinel(Engine.container(deployment.project(), "sentinel", 1))) {
            s.auth("redisha", password("redisha", adminGeneration));
            return s.sentinelMaster("mymaster").get("config-epoch");
        }
    }

    /** Users changed by hand are reported by up --dry-run and set back by up: the topology wins. */
    @Test
    @Order(4)
    void usersChangedByHandAreReportedAndPutBack() throws Exception {
        Container replica = Engine.container(deployment.project(), "replica", 1);
        Container sentinel = Engine.container(deployment.project(), "sentinel", 1);
        try (Jedis j = redis(replica); Jedis s = sentinel(sentinel)) {
            j.auth("redisha", password("redisha", adminGeneration));
            j.aclSetUser("app", "+flushall");
            j.aclSetUser("intruder", "on", ">x", "~*", "+@all");
            j.aclSetUser("default", "on", "nopass");
            s.auth("redisha", password("redisha", adminGeneration));
            s.aclDelUser("discovery");
        }
        Cli.Result dryRun = deployment.run("up", "--dry-run");
        String replicaName = replica.getNames()[0].substring(1);
        String sentinelName = sentinel.getNames()[0].substring(1);
        for (String expected : List.of(replicaName + ": user intruder added by hand", replicaName + ": user default turned on by hand",
                replicaName + ": user app rules or flags changed by hand", sentinelName + ": user discovery removed by hand")) {
            assertTrue(dryRun.out().contains(expected), () -> expected + " in " + dryRun);
        }
        Cli.Result up = deployment.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        try (Jedis j = redis(replica)) {
            JedisDataException noAuth = assertThrows(JedisDataException.class, () -> j.get("app:1"));
            assertTrue(noAuth.getMessage().startsWith("NOAUTH"), noAuth.getMessage());
            assertThrows(JedisAccessControlException.class, () -> j.auth("intruder", "x"));
            j.auth("redisha", password("redisha", adminGeneration));
            Object dry = j.sendCommand(redis.clients.jedis.Protocol.Command.ACL, "DRYRUN", "app", "flushall");
            assertFalse("OK".equals(redis.clients.jedis.util.SafeEncoder.encode((byte[]) dry)), "app may not FLUSHALL");
        }
        try (Jedis s = sentinel(sentinel)) {
            s.auth("discovery", password("discovery", "2"));
            assertEquals(2, s.sentinelGetMasterAddrByName("mymaster").size());
        }
        assertFalse(deployment.run("up", "--dry-run").out().contains("by hand"));
    }

    /** New rules for an application user replace the Redis nodes one at a time; the Sentinels are left alone. */
    @Test
    @Order(5)
    void anApplicationUsersNewRulesRollTheRedisNodes() throws Exception {
        Path topology = deployment.topology();
        Files.writeString(topology, Files.readString(topology).replace("~app:* +@all -@dangerous", "~app:* ~shop:* +@all -@dangerous"));
        List<String> sentinels = Engine.containers(deployment.project()).stream()
                .filter(c -> "sentinel".equals(c.getLabels().get("io.redisha.service"))).map(Container::getId).sorted().toList();
        Cli.Result up = deployment.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("replace"), up::toString);
        Cli.Result dryRun = deployment.runFileFirst("cli", "master", "ACL", "DRYRUN", "app", "set", "shop:1", "v");
        assertEquals("OK\n", dryRun.out(), dryRun::toString);
        assertEquals(sentinels, Engine.containers(deployment.project()).stream()
                .filter(c -> "sentinel".equals(c.getLabels().get("io.redisha.service"))).map(Container::getId).sorted().toList());
    }

    @Test
    @Order(6)
    void failoverTestPassesWithTheMinimalRulesAndEveryFault() {
        Cli.Result result = deployment.run("failover-test", "--fault", "kill,pause,partition", "--rounds", "3");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains("RESULT: PASS (3 rounds)"), result::toString);
    }
}
