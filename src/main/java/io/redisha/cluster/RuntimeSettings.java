package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.sentinel.RedisNodes;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings Redis and Sentinel take at run time: read from the live nodes (CONFIG GET, SENTINEL
 * MASTER), compared with the topology, and applied without a restart. A Redis server persists them
 * with CONFIG REWRITE into the file it was started from ({@code /data/redis.conf}); a Sentinel
 * rewrites its own file on every SENTINEL SET. Either way a restart keeps them.
 */
final class RuntimeSettings {
    /** One setting of one node that differs from the topology. */
    record Change(Node node, String setting, String live, String wanted) {
        String describe() {
            return setting + " " + live + " -> " + wanted;
        }
    }

    private final RedisNodes redis;
    private final NodeSettings settings;

    RuntimeSettings(RedisNodes redis, NodeSettings settings) {
        this.redis = redis;
        this.settings = settings;
    }

    /** What differs on the given running nodes; a node that cannot be asked is left out (it is repaired, not changed). */
    List<Change> differences(List<Node> nodes) {
        List<Change> changes = new ArrayList<>();
        for (Node node : nodes) {
            if (!node.isRunning() || node.dial() == null) {
                continue;
            }
            try {
                Map<String, String> wanted = node.service() == Service.SENTINEL ? settings.sentinelRuntime()
                        : settings.redisRuntime(node.service(), node.index());
                Map<String, String> live = read(node, wanted.keySet().stream().toList());
                wanted.forEach((key, value) -> {
                    if (!Objects.equals(live.get(key), value)) {
                        changes.add(new Change(node, key, live.get(key), value));
                    }
                });
            } catch (JedisException e) {
                // unreachable now: the readiness wait reports it
            }
        }
        return changes;
    }

    /** The live values of the given settings. */
    Map<String, String> read(Node node, List<String> keys) {
        if (node.service() == Service.SENTINEL) {
            try (Jedis jedis = redis.sentinel(node.nameAddress())) {
                Map<String, String> master = jedis.sentinelMaster(redis.masterName());
                Map<String, String> live = new LinkedHashMap<>();
                keys.forEach(k -> live.put(k, master.get(k)));
                return live;
            }
        }
        try (Jedis jedis = redis.redis(node.nameAddress())) {
            return jedis.configGet(keys.toArray(String[]::new));
        }
    }

    /** Applies the changes of one node and persists them. */
    void apply(Node node, List<Change> changes) {
        Map<String, String> values = new LinkedHashMap<>();
        changes.forEach(c -> values.put(c.setting(), c.wanted()));
        if (node.service() == Service.SENTINEL) {
            try (Jedis jedis = redis.sentinel(node.nameAddress())) {
                jedis.sentinelSet(redis.masterName(), values);
            }
            return;
        }
        try (Jedis jedis = redis.redis(node.nameAddress())) {
            jedis.configSet(values);
            jedis.configRewrite();
        }
    }

    /** The server a running Redis node reports (INFO server); empty when it cannot be asked. */
    java.util.Optional<ServerImage> server(Node node) {
        try (Jedis jedis = redis.redis(node.nameAddress())) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : jedis.info("server").split("\r?\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
            boolean valkey = fields.containsKey("valkey_version");
            String version = valkey ? fields.get("valkey_version") : fields.get("redis_version");
            return version == null ? java.util.Optional.empty() : java.util.Optional.of(
                    new ServerImage(node.image(), valkey ? "valkey" : "redis", version, null));
        } catch (JedisException e) {
            return java.util.Optional.empty();
        }
    }

    /** Sets one Redis setting now and in the node's file. */
    void set(Node node, String setting, String value) {
        try (Jedis jedis = redis.redis(node.nameAddress())) {
            jedis.configSet(setting, value);
            jedis.configRewrite();
        }
    }
}
