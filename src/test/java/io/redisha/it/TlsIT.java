package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import io.redisha.tls.CertificateAuthority;
import io.redisha.tls.ClientTls;
import io.redisha.tls.Pem;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentineled;

import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on every connection, on the real engine (Redis 7, with a password and client certificates
 * required): nothing answers in plaintext, neither on the published ports nor on the network;
 * redis-cli with the CA does; a certificate from another CA is refused; failover-test with kill and
 * partition passes over TLS; a Jedis Sentinel client with TLS (docs/tls.md's example) follows a
 * failover; and certificates are renewed in place under a writer. TlsImagesIT covers Redis 8 and Valkey 8.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class TlsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "tls-it-pass";

    @RegisterExtension
    static final Deployment deployment = Deployment.of("it-tls", """
            auth:
              password-file: redis.pass
            sentinels:
              down-after-milliseconds: 3000
              failover-timeout: 5000
            tls:
              enabled: true
            """).withSecretFile("redis.pass", PASSWORD).up().within(Duration.ofMinutes(5));

    private static Path tlsDir() {
        return deployment.topology().getParent().resolve("tls").resolve(deployment.project());
    }

    /** redisha's own client material: trusts the project's CA and shows its client certificate. */
    private static ClientTls projectClient() {
        Path dir = tlsDir();
        return ClientTls.of(Pem.readCertificates(dir.resolve("ca.crt")), Pem.load(dir.resolve("client.crt"), dir.resolve("client.key")));
    }

    private static Jedis tlsJedis(Container c, int port, ClientTls tls) {
        return new Jedis(new HostAndPort("127.0.0.1", Engine.hostPort(c.getId(), port)), DefaultJedisClientConfig.builder()
                .ssl(true).sslSocketFactory(tls.socketFactory()).sslParameters(tls.parameters()).password(
                        port == 6379 ? PASSWORD : null).connectionTimeoutMillis(3000).socketTimeoutMillis(3000).build());
    }

    /** The Redis node whose role is master, asked over TLS (Probe speaks plaintext). */
    private static Container master() {
        List<Container> redis = new ArrayList<>(Probe.byService(deployment.project(), "master"));
        redis.addAll(Probe.byService(deployment.project(), "replica"));
        for (Container c : redis) {
            try (Jedis jedis = tlsJedis(c, 6379, projectClient())) {
                if (jedis.info("replication").contains("role:master")) {
                    return c;
                }
            } catch (RuntimeException e) {
                // not answering: not the master
            }
        }
        throw new AssertionError("no Redis node of " + deployment.project() + " is a master");
    }

    private static List<Container> all() {
        List<Container> nodes = new ArrayList<>(Probe.byService(deployment.project(), "master"));
        nodes.addAll(Probe.byService(deployment.project(), "replica"));
        nodes.addAll(Probe.byService(deployment.project(), "sentinel"));
        return nodes;
    }

    private static int portOf(Container c) {
        return c.getLabels().getOrDefault("io.redisha.service", "").equals("sentinel") ? 26379 : 6379;
    }

    @Test
    @Order(1)
    void nothingAnswersInPlaintextAndTheCaWorksFromRedisCli() throws Exception {
        List<Container> nodes = all();
        assertEquals(6, nodes.size());
        for (Container c : nodes) {
            int port = portOf(c);
            int hostPort = Engine.hostPort(c.getId(), port);
            String reply = Probe.plaintextReply(hostPort);
            assertFalse(reply.contains("PONG") || reply.startsWith("-"), c.getNames()[0] + " answered plaintext: " + reply);
            assertThrows(RuntimeException.class, () -> {
                try (Jedis plain = new Jedis(new HostAndPort("127.0.0.1", hostPort), DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(2000).socketTimeoutMillis(2000).build())) {
                    plain.ping();
                }
            }, "a plain Jedis PING to " + c.getNames()[0]);
            try (Jedis tls = tlsJedis(c, port, projectClient())) {
                assertEquals("PONG", tls.ping(), c.getNames()[0] + " over TLS");
            }
        }
        // on the network: from the master's container to every other node, with and without TLS
        Container master = master();
        for (Container c : nodes) {
            if (c.getId().equals(master.getId())) {
                continue;
            }
            String ip = Engine.ip(c.getId());
            String port = String.valueOf(portOf(c));
            String plain = Engine.exec(master.getId(), "redis-cli", "--no-auth-warning", "-h", ip, "-p", port, "PING");
            assertFalse(plain.contains("PONG"), "plaintext PING to " + ip + ":" + port + " answered: " + plain);
            String tls = Engine.exec(master.getId(), "redis-cli", "--no-auth-warning", "--tls", "--cacert", "/data/tls/ca.crt",
                    "--cert", "/data/tls/node.crt", "--key", "/data/tls/node.key", "-h", ip, "-p", port, "PING");
            assertTrue(tls.contains("PONG") || tls.contains("NOAUTH"), "redis-cli --tls to " + ip + ":" + port + ": " + tls);
        }
        // redisha's own commands speak TLS
        Cli.Result cli = deployment.run("cli", "sentinel-1", "SENTINEL", "get-master-addr-by-name", "mymaster");
        assertEquals(0, cli.exitCode(), cli::toString);
        Cli.Result status = deployment.run("status");
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().contains("tls: every connection; the first certificate to expire is "), status::toString);
        // the CA and the client key on the host: readable by their owner only
        for (String file : List.of("ca.key", "client.key")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tlsDir().resolve(file))), file);
        }
        // no key in what the engine shows of a node
        String inspect = Engine.client().inspectContainerCmd(master.getId()).exec().toString();
        assertFalse(inspect.contains("PRIVATE KEY") || inspect.contains(PASSWORD), "docker inspect shows a key or the password");
    }

    @Test
    @Order(2)
    void aClientCertificateFromAnotherCaIsRefused(@TempDir Path dir) throws Exception {
        CertificateAuthority other = CertificateAuthority.openOrCreate(dir, "other");
        ClientTls foreign = ClientTls.of(Pem.readCertificates(tlsDir().resolve("ca.crt")),
                other.issue("intruder", List.of("intruder"), List.of(), Duration.ofDays(1)));
        ClientTls none = ClientTls.of(Pem.readCertificates(tlsDir().resolve("ca.crt")), null);
        Container master = master();
        for (ClientTls refused : List.of(foreign, none)) {
            assertThrows(RuntimeException.class, () -> {
                try (Jedis jedis = tlsJedis(master, 6379, refused)) {
                    jedis.ping();
                }
            }, "a client without a certificate of the project's CA");
        }
        try (Jedis jedis = tlsJedis(master, 6379, projectClient())) {
            assertEquals("PONG", jedis.ping());
        }
    }

    @Test
    @Order(4)
    void failoverTestWithPartitionPassesOverTls() throws Exception {
        // kill: aJedisSentinelClientWithTlsFollowsAFailover, with the workload's writes too
        Cli.Result r = deployment.run("failover-test", "--fault", "partition", "--output", "json");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode report = JSON.readTree(r.out());
        for (JsonNode round : report.get("rounds")) {
            JsonNode writes = round.get("writes");
            assertTrue(writes.get("acknowledged").asLong() > 0, "writes acknowledged in round " + round);
            assertEquals(0, writes.get("lost").asLong(), "acknowledged writes lost in round " + round);
        }
    }

    @Test
    @Order(3)
    void aJedisSentinelClientWithTlsFollowsAFailover(@TempDir Path dir) throws Exception {
        Cli.Result connect = deployment.runFileFirst("connect", "--output", "json");
        assertEquals(0, connect.exitCode(), connect::toString);
        JsonNode tls = JSON.readTree(connect.out()).get("tls");
        assertEquals(tlsDir().resolve("ca.crt").toAbsolutePath().toString(), tls.get("caCertificate").asText());
        assertFalse(connect.out().contains("PRIVATE KEY"));
        Cli.Result env = deployment.runFileFirst("connect", "--output", "env");
        assertTrue(env.out().contains("REDISHA_TLS_CA_FILE="), env::toString);
        Path file = dir.resolve("redis.json");
        Files.writeString(file, connect.out());
        Container before = master();
        try (JedisSentineled redis = ConnectExample.connectTls(file)) {
            assertEquals("OK", redis.set("tls-before", "1"));
            Cli.Result failover = deployment.run("failover-test", "--fault", "kill", "--output", "json");
            assertEquals(0, failover.exitCode(), failover::toString);
            JsonNode writes = JSON.readTree(failover.out()).get("rounds").get(0).get("writes");
            assertTrue(writes.get("acknowledged").asLong() > 0, failover::toString);
            assertEquals(0, writes.get("lost").asLong(), failover::toString);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String after = null;
            while (after == null && System.nanoTime() < until) {
                try {
                    after = redis.set("tls-after", "2");
                } catch (RuntimeException e) {
                    Thread.sleep(200);
                }
            }
            assertEquals("OK", after, "the TLS client writes through Sentinel after the failover");
        }
        assertNotEquals(before.getId(), master().getId(), "the master changed");
        // the killed master started again through the restart protection, whose cli asked the Sentinels over TLS
        String log = Engine.logs(before.getId());
        assertTrue(log.contains("redisha: following the master the Sentinels name"), log);
    }

    @Test
    @Order(5)
    void certificatesAreRenewedInPlaceUnderAWriterWithoutAFailedCommand(@TempDir Path dir) throws Exception {
        Map<String, BigInteger> servedBefore = served();
        Set<String> idsBefore = all().stream().map(Container::getId).collect(Collectors.toSet());
        Cli.Result connect = deployment.runFileFirst("connect", "--output", "json");
        Path file = dir.resolve("redis.json");
        Files.writeString(file, connect.out());
        String topology = Files.readString(deployment.topology());
        Files.writeString(deployment.topology(), topology + "  validity-days: 3650\n  renew-within-days: 400\n");
        try (Writer writer = new Writer(file, "renew:")) {
            Cli.Result up = deployment.run("up");
            assertEquals(0, up.exitCode(), up::toString);
            assertTrue(up.err().contains("new certificates for"), up::toString);
            writer.assertNoneFailed("the renewal");
        }
        assertEquals(idsBefore, all().stream().map(Container::getId).collect(Collectors.toSet()), "the same containers");
        Map<String, BigInteger> servedAfter = served();
        assertEquals(servedBefore.keySet(), servedAfter.keySet());
        servedBefore.forEach((node, serial) -> assertNotEquals(serial, servedAfter.get(node), node + " serves a new certificate"));
        Cli.Result status = deployment.run("status", "--output", "json");
        JsonNode certificate = JSON.readTree(status.out()).get("certificate");
        assertTrue(certificate.get("daysLeft").asLong() > 3000, status::toString);
    }

    @Test
    @Order(6)
    void theCaIsReplacedInTwoStepsUnderWritersWithoutAFailedCommand(@TempDir Path dir) throws Exception {
        X509Certificate oldCa = Pem.readCertificates(tlsDir().resolve("ca.crt")).get(0);
        ClientTls oldClient = projectClient();
        Set<String> idsBefore = all().stream().map(Container::getId).collect(Collectors.toSet());
        Path file = dir.resolve("redis.json");
        Files.writeString(file, deployment.runFileFirst("connect", "--output", "json").out());

        // step 1: a client that still has the old CA file and client certificate notices nothing
        try (Writer writer = new Writer(file, "ca-step-1:")) {
            Cli.Result up = deployment.run("up", "--rotate-ca");
            assertEquals(0, up.exitCode(), up::toString);
            assertTrue(up.err().contains("step 1 of 2"), up::toString);
            writer.assertNoneFailed("the first step");
        }
        List<X509Certificate> bundle = Pem.readCertificates(tlsDir().resolve("ca.crt"));
        assertEquals(2, bundle.size(), "the CA file holds the new CA and the old");
        assertEquals(oldCa, bundle.get(1));
        X509Certificate newCa = bundle.get(0);
        assertTrue(CertificateAuthority.signedBy(Pem.readCertificates(tlsDir().resolve("client.crt")).get(0), newCa),
                "the client certificate comes from the new CA");
        for (X509Certificate served : servedCertificates().values()) {
            assertTrue(CertificateAuthority.signedBy(served, oldCa), "the nodes keep their certificates in step 1");
        }
        Cli.Result status = deployment.run("status");
        assertTrue(status.out().contains("a CA is being replaced"), status::toString);

        // step 2: a client that took the new files (both CAs, the new client certificate); the restarted
        // Sentinels publish on new ephemeral ports, which connect tells
        Files.writeString(file, deployment.runFileFirst("connect", "--output", "json").out());
        try (Writer writer = new Writer(file, "ca-step-2:")) {
            Cli.Result up = deployment.run("up", "--rotate-ca");
            assertEquals(0, up.exitCode(), up::toString);
            assertTrue(up.err().contains("step 2 of 2"), up::toString);
            writer.assertNoneFailed("the second step");
        }
        assertEquals(List.of(newCa), Pem.readCertificates(tlsDir().resolve("ca.crt")), "only the new CA is trusted");
        for (var served : servedCertificates().entrySet()) {
            assertTrue(CertificateAuthority.signedBy(served.getValue(), newCa), served.getKey() + " serves a certificate of the new CA");
        }
        assertThrows(RuntimeException.class, () -> {
            try (Jedis jedis = tlsJedis(master(), 6379, oldClient)) {
                jedis.ping();
            }
        }, "a client certificate of the old CA is no longer accepted");
        assertEquals(idsBefore, all().stream().map(Container::getId).collect(Collectors.toSet()), "the same containers");
        assertEquals(0, deployment.run("up", "--dry-run").exitCode());
    }

    /** 50 writes/s through Sentinel over TLS, with the material {@code redisha connect} named when it started. */
    private static final class Writer implements AutoCloseable {
        private final JedisSentineled redis;
        private final PacedWriter writes;

        Writer(Path connectJson, String prefix) throws Exception {
            redis = ConnectExample.connectTls(connectJson);
            writes = PacedWriter.start("tls-writer", n -> redis.set(prefix + n, "x"));
            Thread.sleep(1000);
        }

        void assertNoneFailed(String during) throws InterruptedException {
            Thread.sleep(1000);
            writes.assertNoneFailed(during, 50);
        }

        @Override
        public void close() throws InterruptedException {
            writes.stop();
            redis.close();
        }
    }

    /** The serial of the certificate each node serves, read from a handshake with its published port. */
    private static Map<String, BigInteger> served() throws Exception {
        Map<String, BigInteger> serials = new HashMap<>();
        servedCertificates().forEach((node, cert) -> serials.put(node, cert.getSerialNumber()));
        return serials;
    }

    /** The certificate each node serves, read from a handshake with its published port. */
    private static Map<String, X509Certificate> servedCertificates() throws Exception {
        ClientTls tls = projectClient();
        Map<String, X509Certificate> served = new HashMap<>();
        for (Container c : all()) {
            served.put(c.getNames()[0], tls.served("127.0.0.1", Engine.hostPort(c.getId(), portOf(c)), 3000));
        }
        return served;
    }
}
