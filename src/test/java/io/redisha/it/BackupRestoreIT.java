package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.redisha.tls.ClientTls;
import io.redisha.tls.Pem;
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
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * backup and restore on a real engine: a snapshot taken on a replica, checked and described by its
 * manifest; the data of a FLUSHALL brought back on every node; the files a restore refuses before
 * anything changes; retention. Four deployments shared by the tests: Redis 7 without persistence,
 * Redis 8 with rdb (whose backup Redis 7 cannot read), Valkey 8, and Redis 7 with ACL users, TLS and
 * an append-only file.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreIT {
    private static final int KEYS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final Deployment redis7 = Deployment.of("bk7", "image: redis:7\npersistence: off\n").up();
    @RegisterExtension
    static final Deployment redis8 = Deployment.of("bk8", "image: redis:8\npersistence: rdb\nreplicas: 1\n").up();
    @RegisterExtension
    static final Deployment valkey = Deployment.of("bkvk", "image: valkey/valkey:8\nreplicas: 1\n").up();

    /** ACL users, TLS on every connection and an append-only file: the restore turns it off, loads, writes it anew. */
    @RegisterExtension
    static final Deployment secured = withUserPasswords(Deployment.of("bksec", "image: redis:7\npersistence: aof\n"
            + AclUsersIT.COMPONENT_USERS + "tls:\n  enabled: true\n")).up();

    private static Deployment withUserPasswords(Deployment d) {
        for (String user : List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery")) {
            d.withSecretFile(user + ".pass", "bk-" + user + "-pw");
        }
        return d;
    }

    /** A node of the secured deployment, as redisha reaches it: over TLS with its client certificate, as user redisha. */
    private static Jedis securedRedis(Container c) {
        Path tls = secured.topology().getParent().resolve("tls").resolve(secured.project());
        ClientTls client = ClientTls.of(Pem.readCertificates(tls.resolve("ca.crt")),
                Pem.load(tls.resolve("client.crt"), tls.resolve("client.key")));
        return new Jedis(new HostAndPort("127.0.0.1", Engine.hostPort(c.getId(), 6379)), DefaultJedisClientConfig.builder()
                .ssl(true).sslSocketFactory(client.socketFactory()).sslParameters(client.parameters())
                .user("redisha").password("bk-redisha-pw").connectionTimeoutMillis(3000).socketTimeoutMillis(5000).build());
    }

    private static Path dir;
    /** The first backup of the Redis 7 deployment, and what each key's DUMP was then. */
    private static Path backup;
    private static Map<String, Object> values;

    @BeforeAll
    static void data() throws Exception {
        dir = Files.createTempDirectory("redisha-bk");
        writeKeys(Probe.master(redis7.project()).getId());
        writeKeys(Probe.master(redis8.project()).getId());
        writeKeys(Probe.master(valkey.project()).getId());
    }

    /** 1000 keys of every common type, a tenth of the strings with a time to live. */
    private static void writeKeys(String masterId) {
        try (Jedis m = Probe.redis(masterId)) {
            writeKeys(m);
        }
    }

    private static void writeKeys(Jedis m) {
        for (int i = 0; i < 600; i++) {
            if (i % 10 == 0) {
                m.setex("s:" + i, 3600, "v" + i);
            } else {
                m.set("s:" + i, "v" + i);
            }
        }
        for (int i = 0; i < 100; i++) {
            m.hset("h:" + i, Map.of("a", "1", "b", String.valueOf(i)));
            m.rpush("l:" + i, "x", "y", String.valueOf(i));
            m.sadd("t:" + i, "p", "q", String.valueOf(i));
        }
        for (int i = 0; i < 50; i++) {
            m.zadd("z:" + i, Map.of("a", 1.0, "b", (double) i));
            m.xadd("x:" + i, XAddParams.xAddParams().id(StreamEntryID.NEW_ENTRY), Map.of("f", String.valueOf(i)));
        }
        assertEquals(KEYS, m.dbSize());
        assertTrue(m.waitReplicas(1, 5000) >= 1, "a replica acknowledged the keys");
    }

    private static JsonNode backupJson(Deployment d, String... extra) throws Exception {
        String[] args = Stream.concat(Stream.of("backup", "--to", dir.toString() + "/", "--output", "json"),
                Arrays.stream(extra)).toArray(String[]::new);
        Cli.Result r = d.run(args);
        assertEquals(0, r.exitCode(), r::toString);
        return JSON.readTree(r.out());
    }

    /**
     * Every key's type and value, in a form that compares equal for equal data (DUMP would not: a set
     * reloaded into a hash table may list its members in another order).
     */
    private static Map<String, Object> values(Jedis jedis) {
        Map<String, Object> all = new TreeMap<>();
        for (String key : jedis.keys("*")) {
            String type = jedis.type(key);
            Object value = switch (type) {
                case "string" -> jedis.get(key);
                case "hash" -> new TreeMap<>(jedis.hgetAll(key));
                case "list" -> jedis.lrange(key, 0, -1);
                case "set" -> new TreeSet<>(jedis.smembers(key));
                case "zset" -> jedis.zrangeWithScores(key, 0, -1).toString();
                case "stream" -> jedis.xrange(key, "-", "+").toString();
                default -> throw new AssertionError(key + " has type " + type);
            };
            all.put(key, type + " " + value);
        }
        return all;
    }

    @Test
    @Order(1)
    void aBackupIsTakenOnAReplicaCheckedAndDescribedByItsManifest() throws Exception {
        String master = Probe.master(redis7.project()).getId();
        try (Jedis m = Probe.redis(master)) {
            values = values(m);
        }
        JsonNode taken = backupJson(redis7);
        backup = Path.of(taken.get("file").asText());
        JsonNode manifest = JSON.readTree(Files.readString(Path.of(backup + ".json")));
        assertEquals(taken.get("manifest"), manifest);
        assertEquals("redisha", manifest.get("writer").asText());
        assertEquals(redis7.project(), manifest.get("project").asText());
        assertEquals("replica", manifest.get("sourceRole").asText());
        assertTrue(manifest.get("source").asText().startsWith(redis7.project() + "-replica-"), manifest::toString);
        assertEquals("redis", manifest.get("server").asText());
        assertTrue(manifest.get("serverVersion").asText().startsWith("7."), manifest::toString);
        assertEquals(10, manifest.get("rdbFormat").asInt(), "Redis 7.0 writes RDB format 10");
        assertEquals(KEYS, manifest.get("keys").asLong(), "keys the server's check read");
        assertEquals(60, manifest.get("expires").asLong());
        assertEquals(KEYS, manifest.get("keysPerDb").get("db0").asLong());
        assertEquals(40, manifest.get("replicationId").asText().length(), manifest::toString);
        assertTrue(manifest.get("replicationOffset").asLong() > 0, manifest::toString);
        assertEquals(Files.size(backup), manifest.get("size").asLong());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(backup)));
        assertEquals(sha, manifest.get("sha256").asText());
        assertEquals("REDIS0010", new String(Arrays.copyOf(Files.readAllBytes(backup), 9)));
        // without persistence the snapshot made for the backup is not left on the replica
        String source = manifest.get("source").asText();
        assertThrows(NotFoundException.class, () -> Engine.client().copyArchiveFromContainerCmd(source, "/data/dump.rdb")
                .exec().close());
    }

    @Test
    @Order(2)
    void restoreAfterFlushallBringsEveryKeyBackOnTheMasterAndEveryReplica() throws Exception {
        Cli.Result refused = redis7.run("restore", backup.toString());
        assertEquals(6, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("--force"), refused::toString);

        String master = Probe.master(redis7.project()).getId();
        try (Jedis m = Probe.redis(master)) {
            m.flushAll();
            assertEquals(2, m.waitReplicas(2, 5000));
        }
        Cli.Result restored = redis7.run("restore", backup.toString(), "--force");
        assertEquals(0, restored.exitCode(), restored::toString);
        Probe.assertReady(redis7.project(), 2, 3);
        List<Container> redisNodes = Engine.containers(redis7.project()).stream()
                .filter(c -> !"sentinel".equals(c.getLabels().get("io.redisha.service"))).toList();
        assertEquals(3, redisNodes.size());
        for (Container node : redisNodes) {
            try (Jedis j = Probe.redis(node.getId())) {
                assertEquals(values, values(j), node.getNames()[0]);
                long ttl = j.ttl("s:0");
                assertTrue(ttl > 3500 && ttl <= 3600, node.getNames()[0] + " s:0 ttl " + ttl);
            }
        }
        try (Jedis s = Probe.sentinel(Probe.byService(redis7.project(), "sentinel").get(0).getId())) {
            assertEquals("5000", s.sentinelMaster("mymaster").get("down-after-milliseconds"),
                    "the Sentinels' down-after-milliseconds is the topology's again");
        }
    }

    @Test
    @Order(3)
    void damagedTruncatedAndUnknownFilesAreRefusedBeforeAnythingChanges() throws Exception {
        long before;
        String master = Probe.master(redis7.project()).getId();
        try (Jedis m = Probe.redis(master)) {
            before = m.dbSize();
        }
        byte[] good = Files.readAllBytes(backup);
        Path manifest = Path.of(backup + ".json");

        Path flipped = dir.resolve("flipped.rdb");
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x01;
        Files.write(flipped, bad);
        Files.copy(manifest, Path.of(flipped + ".json"));
        Cli.Result checksum = redis7.run("restore", flipped.toString(), "--force");
        assertEquals(11, checksum.exitCode(), checksum::toString);
        assertTrue(checksum.err().contains("SHA-256"), checksum::toString);

        Path truncated = dir.resolve("truncated.rdb");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        Files.copy(manifest, Path.of(truncated + ".json"));
        Cli.Result shorter = redis7.run("restore", truncated.toString(), "--force");
        assertEquals(11, shorter.exitCode(), shorter::toString);
        assertTrue(shorter.err().contains("truncated"), shorter::toString);

        Path bare = dir.resolve("bare.rdb");
        Files.write(bare, Arrays.copyOf(good, good.length / 2));
        Cli.Result noManifest = redis7.run("restore", bare.toString(), "--force");
        assertEquals(6, noManifest.exitCode(), noManifest::toString);
        assertTrue(noManifest.err().contains("--no-manifest"), noManifest::toString);
        Cli.Result checked = redis7.run("restore", bare.toString(), "--force", "--no-manifest");
        assertEquals(11, checked.exitCode(), checked::toString);
        assertTrue(checked.err().contains("redis-check-rdb"), checked::toString);

        try (Jedis m = Probe.redis(master)) {
            assertEquals(before, m.dbSize(), "keys on the master after the refusals");
        }
    }

    @Test
    @Order(4)
    void aRedis8BackupTakenWithPersistenceIsRefusedByRedis7() throws Exception {
        JsonNode taken = backupJson(redis8, "--require-replica");
        JsonNode manifest = taken.get("manifest");
        assertEquals("replica", manifest.get("sourceRole").asText());
        assertEquals(12, manifest.get("rdbFormat").asInt(), "Redis 8.0 writes RDB format 12");
        assertEquals(KEYS, manifest.get("keys").asLong());
        // with persistence the replica keeps its snapshot
        Engine.client().copyArchiveFromContainerCmd(manifest.get("source").asText(), "/data/dump.rdb").exec().close();

        String master = Probe.master(redis7.project()).getId();
        long before;
        try (Jedis m = Probe.redis(master)) {
            before = m.dbSize();
        }
        Cli.Result refused = redis7.run("restore", taken.get("file").asText(), "--force");
        assertEquals(12, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("RDB format 12"), refused::toString);
        try (Jedis m = Probe.redis(master)) {
            assertEquals(before, m.dbSize());
        }
    }

    @Test
    @Order(5)
    void keepLeavesTheNewestBackupsOfTheProjectAndNothingElse() throws Exception {
        Path keepDir = Files.createDirectory(dir.resolve("keep"));
        Path foreign = keepDir.resolve("other-20200101T000000Z.rdb");
        Files.write(foreign, new byte[]{1});
        Files.writeString(Path.of(foreign + ".json"), "{\"writer\":\"redisha\",\"project\":\"other\",\"time\":\"2020-01-01T00:00:00Z\","
                + "\"file\":\"other-20200101T000000Z.rdb\",\"size\":1,\"rdbFormat\":10}");
        Path unrelated = keepDir.resolve(redis7.project() + "-20200101T000000Z.rdb");
        Files.write(unrelated, new byte[]{2});
        String first = null;
        String last = null;
        for (int i = 0; i < 3; i++) {
            Cli.Result r = redis7.run("backup", "--to", keepDir.toString(), "--keep", "2", "--output", "json");
            assertEquals(0, r.exitCode(), r::toString);
            String file = JSON.readTree(r.out()).get("file").asText();
            first = first == null ? file : first;
            last = file;
            Thread.sleep(1100); // one file name a second
        }
        List<String> left;
        try (Stream<Path> files = Files.list(keepDir)) {
            left = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        // the two newest of the project, the other project's backup, and a file redisha did not write
        assertEquals(7, left.size(), left::toString);
        assertTrue(Files.exists(foreign) && Files.exists(Path.of(foreign + ".json")) && Files.exists(unrelated), left::toString);
        assertTrue(Files.exists(Path.of(last)) && !Files.exists(Path.of(first)) && !Files.exists(Path.of(first + ".json")),
                left::toString);
    }

    @Test
    @Order(6)
    void upFromABackupCreatesANewDeploymentHoldingItsData() throws Exception {
        Cli.Result deployed = redis7.run("up", "--from-backup", backup.toString());
        assertEquals(6, deployed.exitCode(), deployed::toString);
        assertTrue(deployed.err().contains("already deployed"), deployed::toString);

        Cli fresh = redis7.create("bknew", "image: redis:7\nreplicas: 1\n");
        Cli.Result up = fresh.run("up", "--from-backup", backup.toString());
        assertEquals(0, up.exitCode(), up::toString);
        Probe.assertReady(fresh.project(), 1, 3);
        for (Container node : Engine.containers(fresh.project())) {
            if (!"sentinel".equals(node.getLabels().get("io.redisha.service"))) {
                try (Jedis j = Probe.redis(node.getId())) {
                    assertEquals(values, values(j), node.getNames()[0]);
                }
            }
        }
    }

    @Test
    @Order(7)
    void valkeyIsBackedUpAndRestoredWithItsOwnCheck() throws Exception {
        Map<String, Object> before;
        String master = Probe.master(valkey.project()).getId();
        try (Jedis m = Probe.redis(master)) {
            before = values(m);
        }
        JsonNode manifest = backupJson(valkey, "--require-replica").get("manifest");
        assertEquals("valkey", manifest.get("server").asText());
        assertEquals(11, manifest.get("rdbFormat").asInt(), "Valkey 8.1 writes RDB format 11");
        assertEquals(KEYS, manifest.get("keys").asLong());
        try (Jedis m = Probe.redis(master)) {
            m.flushAll();
        }
        Path file = dir.resolve(manifest.get("file").asText());
        Cli.Result restored = valkey.run("restore", file.toString(), "--output", "json");
        assertEquals(0, restored.exitCode(), restored::toString);
        assertEquals(KEYS, JSON.readTree(restored.out()).get("keys").get("db0").asLong(), restored::toString);
        for (Container node : Engine.containers(valkey.project())) {
            if (!"sentinel".equals(node.getLabels().get("io.redisha.service"))) {
                try (Jedis j = Probe.redis(node.getId())) {
                    assertEquals(before, values(j), node.getNames()[0]);
                }
            }
        }
    }

    @Test
    @Order(8)
    void withUsersTlsAndAnAppendOnlyFileEveryKeyComesBackOnEveryNodeAndInTheNewAppendOnlyFile() throws Exception {
        List<Container> redisNodes = Engine.containers(secured.project()).stream()
                .filter(c -> !"sentinel".equals(c.getLabels().get("io.redisha.service"))).toList();
        assertEquals(3, redisNodes.size());
        Container master = Engine.container(secured.project(), "master", 1);
        Map<String, Object> before;
        try (Jedis m = securedRedis(master)) {
            writeKeys(m);
            before = values(m);
        }
        JsonNode manifest = backupJson(secured, "--require-replica").get("manifest");
        assertEquals(KEYS, manifest.get("keys").asLong(), manifest::toString);
        try (Jedis m = securedRedis(master)) {
            m.flushAll();
            assertEquals(2, m.waitReplicas(2, 5000));
        }
        Path file = dir.resolve(manifest.get("file").asText());
        Cli.Result restored = secured.run("restore", file.toString());
        assertEquals(0, restored.exitCode(), restored::toString);
        for (Container node : redisNodes) {
            try (Jedis j = securedRedis(node)) {
                assertEquals(before, values(j), node.getNames()[0]);
                assertEquals("yes", j.configGet("appendonly").get("appendonly"), node.getNames()[0]);
            }
        }
        try (Jedis m = securedRedis(master)) {
            Map<String, String> persistence = new TreeMap<>();
            m.info("persistence").lines().filter(l -> l.contains(":"))
                    .forEach(l -> persistence.put(l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).strip()));
            assertEquals("1", persistence.get("aof_enabled"), persistence::toString);
            // the append-only file was written anew from the restored data, not left empty or old
            assertTrue(Long.parseLong(persistence.get("aof_base_size")) > 5000, persistence::toString);
            assertTrue(restored.err().contains("append-only file"), restored::toString);
        }
    }
}
