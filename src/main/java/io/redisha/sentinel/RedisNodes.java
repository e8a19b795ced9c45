package io.redisha.sentinel;

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

/**
 * Jedis access to the project's Redis servers and Sentinels. Every connection is made with a
 * config whose host-and-port mapper sends it to the published loopback port.
 */
public final class RedisNodes {
    private final JedisClientConfig redisConfig;
    private final JedisClientConfig sentinelConfig;
    private final String masterName;
    private final LoopbackMapper mapper;
    private final String redisPassword;
    private final String sentinelPassword;

    public RedisNodes(LoopbackMapper mapper, String masterName, String redisPassword, String sentinelPassword,
                      int timeoutMillis) {
        this.masterName = masterName;
        this.mapper = mapper;
        this.redisPassword = redisPassword;
        this.sentinelPassword = sentinelPassword;
        this.redisConfig = config(mapper, redisPassword, timeoutMillis, timeoutMillis);
        this.sentinelConfig = config(mapper, sentinelPassword, timeoutMillis, timeoutMillis);
    }

    static JedisClientConfig config(LoopbackMapper mapper, String password, int connectMillis, int socketMillis) {
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .hostAndPortMapper(mapper)
                .connectionTimeoutMillis(connectMillis)
                .socketTimeoutMillis(socketMillis)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .clientName("redisha");
        if (password != null) {
            builder.password(password);
        }
        return builder.build();
    }

    public String masterName() {
        return masterName;
    }

    public JedisClientConfig redisConfig() {
        return redisConfig;
    }

    /** A Redis config with the loopback mapper and other timeouts (0 = none), e.g. for a workload or pub/sub. */
    public JedisClientConfig redisConfig(int connectMillis, int socketMillis) {
        return config(mapper, redisPassword, connectMillis, socketMillis);
    }

    public JedisClientConfig sentinelConfig(int connectMillis, int socketMillis) {
        return config(mapper, sentinelPassword, connectMillis, socketMillis);
    }

    public LoopbackMapper mapper() {
        return mapper;
    }

    /** A connection to a Redis server by its network address; the caller closes it. */
    public Jedis redis(HostAndPort networkAddress) {
        return new Jedis(networkAddress, redisConfig);
    }

    public Jedis sentinel(HostAndPort networkAddress) {
        return new Jedis(networkAddress, sentinelConfig);
    }

    public ReplicationInfo replication(HostAndPort networkAddress) {
        try (Jedis jedis = redis(networkAddress)) {
            return ReplicationInfo.parse(jedis.info("replication"));
        }
    }

    /** Everything one Sentinel says about the master; never throws for an unreachable Sentinel. */
    public SentinelView sentinelView(HostAndPort networkAddress) {
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
