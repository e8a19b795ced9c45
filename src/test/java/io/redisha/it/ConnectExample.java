package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultRedisCredentials;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.HostAndPortMapper;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.RedisCredentials;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The Java examples of docs/connecting.md, docs/tls.md and docs/users.md, word for word between the markers:
 * EverydayCommandsIT and TlsIT run them across a failover, AclUsersIT the users one, and ReadmeExampleTest
 * holds the pages to them.
 */
public final class ConnectExample {
    private ConnectExample() {
    }

    // docs example begin
    /** A Sentinel-aware client from the output of {@code redisha connect --output json}. */
    static JedisSentineled connect(Path connectJson) throws IOException {
        return connect(new ObjectMapper().readTree(Files.readString(connectJson)), config -> config);
    }

    /** @param tls adds what TLS needs to a connection's config (nothing without TLS) */
    static JedisSentineled connect(JsonNode c, UnaryOperator<DefaultJedisClientConfig.Builder> tls) throws IOException {
        Map<HostAndPort, HostAndPort> table = new HashMap<>();
        c.get("addressMap").fields().forEachRemaining(e ->
                table.put(HostAndPort.from(e.getKey()), HostAndPort.from(e.getValue().asText())));
        // Sentinel hands out addresses on the deployment's network: dial their published ports instead
        HostAndPortMapper mapper = address -> table.getOrDefault(address, address);
        Set<HostAndPort> sentinels = new HashSet<>();
        c.get("sentinels").forEach(s -> sentinels.add(HostAndPort.from(s.asText())));

        JedisClientConfig master = tls.apply(DefaultJedisClientConfig.builder().hostAndPortMapper(mapper)
                .password(password(c.get("redisPassword")))).build();
        JedisClientConfig sentinel = tls.apply(DefaultJedisClientConfig.builder().hostAndPortMapper(mapper)
                .password(password(c.get("sentinelPassword")))).build();
        return new JedisSentineled(c.get("masterName").asText(), master, sentinels, sentinel);
    }

    /** {"file": "/path"} or {"env": "NAME"}: where the password is; null when there is none. */
    static String password(JsonNode source) throws IOException {
        if (source == null || source.isNull()) {
            return null;
        }
        return source.hasNonNull("file") ? Files.readAllLines(Path.of(source.get("file").asText())).get(0)
                : System.getenv(source.get("env").asText());
    }
    // docs example end

    // docs tls example begin
    /** The same client when the deployment speaks TLS: it trusts the deployment's CA, and shows the client certificate. */
    static JedisSentineled connectTls(Path connectJson) throws Exception {
        JsonNode c = new ObjectMapper().readTree(Files.readString(connectJson));
        JsonNode tls = c.get("tls");
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(tls.get("caCertificate").asText()))) {
            int i = 0; // every CA of the file: two while the deployment's CA is being replaced
            for (Certificate ca : x509.generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManager[] keys = null;
        if (tls.hasNonNull("clientCertificate")) { // the nodes ask clients for a certificate
            Certificate cert;
            try (InputStream in = Files.newInputStream(Path.of(tls.get("clientCertificate").asText()))) {
                cert = x509.generateCertificate(in);
            }
            String pem = Files.readString(Path.of(tls.get("clientKey").asText())); // PKCS#8: BEGIN PRIVATE KEY
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            PrivateKey key = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
            KeyStore mine = KeyStore.getInstance("PKCS12");
            mine.load(null, null);
            mine.setKeyEntry("client", key, new char[0], new Certificate[] {cert});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(mine, new char[0]);
            keys = keyManagers.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust.getTrustManagers(), null);
        SSLParameters checkName = new SSLParameters();
        checkName.setEndpointIdentificationAlgorithm("HTTPS"); // the nodes' certificates name 127.0.0.1
        return connect(c, config -> config.ssl(true).sslSocketFactory(context.getSocketFactory()).sslParameters(checkName));
    }
    // docs tls example end

    // docs users example begin
    /**
     * The same client with ACL users: the application user on the Redis nodes, the discovery user on the
     * Sentinels. Each password is read from its file again at every new connection, so a rotated password
     * is picked up without a restart.
     */
    static JedisSentineled connectAsUsers(Path connectJson) throws IOException {
        JsonNode c = new ObjectMapper().readTree(Files.readString(connectJson));
        Map<HostAndPort, HostAndPort> table = new HashMap<>();
        c.get("addressMap").fields().forEachRemaining(e ->
                table.put(HostAndPort.from(e.getKey()), HostAndPort.from(e.getValue().asText())));
        HostAndPortMapper mapper = address -> table.getOrDefault(address, address);
        Set<HostAndPort> sentinels = new HashSet<>();
        c.get("sentinels").forEach(s -> sentinels.add(HostAndPort.from(s.asText())));

        JedisClientConfig master = DefaultJedisClientConfig.builder().hostAndPortMapper(mapper)
                .credentialsProvider(user(c.get("redisPassword"))).build();      // e.g. app
        JedisClientConfig sentinel = DefaultJedisClientConfig.builder().hostAndPortMapper(mapper)
                .credentialsProvider(user(c.get("sentinelPassword"))).build();   // discovery
        return new JedisSentineled(c.get("masterName").asText(), master, sentinels, sentinel);
    }

    /** {"user": "app", "file": "/path"}: that user, with the password its file (or variable) holds now. */
    static Supplier<RedisCredentials> user(JsonNode source) {
        return () -> {
            try {
                return new DefaultRedisCredentials(source.get("user").asText(), password(source));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
    // docs users example end
}
