package io.redisha.sentinel;

import io.redisha.backend.Endpoint;
import io.redisha.tls.ClientTls;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.SafeEncoder;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jedis access to the project's Redis servers and Sentinels. Every connection is made with a
 * config whose host-and-port mapper sends it to the published loopback port.
 */
public final class RedisNodes implements Probe {
    private final JedisClientConfig redisConfig;
    private final JedisClientConfig sentinelConfig;
    private final String masterName;
    private final AddressMapper mapper;
    private final String redisPassword;
    private final String sentinelPassword;
    private final ClientTls tls;
    private final String user;
    private final int timeoutMillis;

    public RedisNodes(AddressMapper mapper, String masterName, String redisPassword, String sentinelPassword,
                      int timeoutMillis) {
        this(mapper, masterName, redisPassword, sentinelPassword, timeoutMillis, null);
    }

    /** @param tls what to connect with when the deployment speaks TLS; null for plaintext */
    public RedisNodes(AddressMapper mapper, String masterName, String redisPassword, String sentinelPassword,
                      int timeoutMillis, ClientTls tls) {
        this(mapper, masterName, null, redisPassword, sentinelPassword, timeoutMillis, tls);
    }

    /**
     * @param user the ACL user every connection logs in as, on the Redis nodes and the Sentinels alike;
     *             null for the {@code default} user (a password alone)
     */
    public RedisNodes(AddressMapper mapper, String masterName, String user, String redisPassword, String sentinelPassword,
                      int timeoutMillis, ClientTls tls) {
        this.user = user;
        this.timeoutMillis = timeoutMillis;
        this.tls = tls;
        this.masterName = masterName;
        this.mapper = mapper;
        this.redisPassword = redisPassword;
        this.sentinelPassword = sentinelPassword;
        this.redisConfig = config(mapper, user, redisPassword, timeoutMillis, timeoutMillis, tls);
        this.sentinelConfig = config(mapper, user, sentinelPassword, timeoutMillis, timeoutMillis, tls);
    }

    /**
     * Gets Jedis ready (loads and initialises its classes) on a thread of its own, so that a short
     * command finds it ready when it first asks a node.
     */
    public static void prepare() {
        Thread t = new Thread(() -> {
            DefaultJedisClientConfig.builder().clientSetInfoConfig(ClientSetInfoConfig.DISABLED).build();
            for (String name : List.of("redis.clients.jedis.Jedis", "redis.clients.jedis.Connection",
                    "redis.clients.jedis.Protocol", "redis.clients.jedis.BuilderFactory",
                    "redis.clients.jedis.DefaultJedisSocketFactory", "redis.clients.jedis.util.RedisInputStream",
                    "redis.clients.jedis.util.RedisOutputStream")) {
                try {
                    Class.forName(name, true, RedisNodes.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    return; // only a head start: whatever is not loaded here is when first used
                }
            }
            ReplicationInfo.parse("role:master\r\n");
        }, "redisha-prepare");
        t.setDaemon(true);
        t.start();
    }

    static JedisClientConfig config(AddressMapper mapper, String user, String password, int connectMillis,
                                    int socketMillis, ClientTls tls) {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .hostAndPortMapper(mapper)
                .connectionTimeoutMillis(connectMillis)
                .socketTimeoutMillis(socketMillis)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .clientName("redisha");
        if (password != null) {
            builder.password(password);
            if (user != null) {
                builder.user(user);
            }
        }
        if (tls != null) {
            builder.ssl(true).sslSocketFactory(tls.socketFactory()).sslParameters(tls.parameters());
        }
        return builder.build();
    }

    /** The ACL user redisha logs in as, or null for the {@code default} user. */
    public String user() {
        return user;
    }

    public String masterName() {
        return masterName;
    }

    public JedisClientConfig redisConfig() {
        return redisConfig;
    }

    /** A Redis config with the loopback mapper and other timeouts (0 = none), e.g. for a workload or pub/sub. */
    public JedisClientConfig redisConfig(int connectMillis, int socketMillis) {
        return config(mapper, user, redisPassword, connectMillis, socketMillis, tls);
    }

    public JedisClientConfig sentinelConfig(int connectMillis, int socketMillis) {
        return config(mapper, user, sentinelPassword, connectMillis, socketMillis, tls);
    }

    /** A config that logs in as another ACL user, with the loopback mapper and these timeouts (0 = none). */
    public JedisClientConfig userConfig(String user, String password, int connectMillis, int socketMillis) {
        return config(mapper, user, password, connectMillis, socketMillis, tls);
    }

    /** What to connect with when the deployment speaks TLS; null for plaintext. */
    public ClientTls tls() {
        return tls;
    }

    public AddressMapper mapper() {
        return mapper;
    }

    /** A connection to a Redis server by its network address; the caller closes it. */
    public Jedis redis(Endpoint networkAddress) {
        return new Jedis(hostAndPort(networkAddress), redisConfig);
    }

    public Jedis sentinel(Endpoint networkAddress) {
        return new Jedis(hostAndPort(networkAddress), sentinelConfig);
    }

    /** A connection to a Redis server or a Sentinel as the {@code default} user with another password (a former one). */
    public Jedis withPassword(Endpoint networkAddress, String password) {
        return new Jedis(hostAndPort(networkAddress), config(mapper, null, password, timeoutMillis, timeoutMillis, tls));
    }

    public static HostAndPort hostAndPort(Endpoint address) {
        return new HostAndPort(address.host(), address.port());
    }

    @Override
    public ReplicationInfo replication(Endpoint networkAddress) {
        try (Jedis jedis = redis(networkAddress)) {
            return ReplicationInfo.parse(jedis.info("replication"));
        }
    }

    /**
     * The address ("host:port") the Sentinel gives clients for the master, as clients ask for it
     * (GET-MASTER-ADDR-BY-NAME); empty when it names none.
     *
     * @throws JedisException when the Sentinel cannot be asked
     */
    public Optional<String> namedMaster(Endpoint sentinel) {
        try (Jedis jedis = sentinel(sentinel)) {
            List<String> named = jedis.sentinelGetMasterAddrByName(masterName);
            return named == null || named.size() != 2 ? Optional.empty()
                    : Optional.of(named.get(0) + ":" + named.get(1));
        }
    }

    /** Everything one Sentinel says about the master; never throws for an unreachable Sentinel. */
    @Override
    public SentinelView sentinelView(Endpoint networkAddress) {
        try (Jedis jedis = sentinel(networkAddress)) {
            Map<String, String> master;
            try {
                master = jedis.sentinelMaster(masterName);
            } catch (JedisException e) {
                return SentinelView.unreachable("does not monitor " + masterName + ": " + e.getMessage());
            }
            String address = master.get("ip") + ":" + master.get("port");
            List<SentinelView.Instance> replicas = jedis.sentinelReplicas(masterName).stream()
                    .map(r -> new SentinelView.Instance(r.get("name"), r.get("ip") + ":" + r.get("port"), r.get("flags"))).toList();
            List<SentinelView.Instance> sentinels = jedis.sentinelSentinels(masterName).stream()
                    .map(r -> new SentinelView.Instance(r.get("name"), r.get("ip") + ":" + r.get("port"), r.get("flags"))).toList();
            boolean quorumOk;
            String quorumMessage;
            try {
                Object reply = jedis.sendCommand(Protocol.Command.SENTINEL, SafeEncoder.encode("CKQUORUM"),
                        SafeEncoder.encode(masterName));
                quorumMessage = reply instanceof byte[] bytes ? SafeEncoder.encode(bytes) : String.valueOf(reply);
                quorumOk = true;
            } catch (JedisException e) {
                quorumMessage = e.getMessage();
                quorumOk = false;
            }
            String flags = master.getOrDefault("flags", "");
            boolean failover = flags.contains("failover_in_progress") || flags.contains("promoted");
            return new SentinelView(address, flags, replicas, sentinels, quorumOk, quorumMessage, failover, null);
        } catch (JedisException e) {
            return SentinelView.unreachable(e.getMessage());
        }
    }
}
