package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.HostAndPortMapper;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSentineled;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The Java example of docs/connecting.md, word for word between the markers: EverydayCommandsIT
 * runs it across a failover, and ReadmeExampleTest holds the page to it.
 */
public final class ConnectExample {
    private ConnectExample() {
    }

    // docs example begin
    /** A Sentinel-aware client from the output of {@code redisha connect --output json}. */
    static JedisSentineled connect(Path connectJson) throws IOException {
        JsonNode c = new ObjectMapper().readTree(Files.readString(connectJson));
        Map<HostAndPort, HostAndPort> table = new HashMap<>();
        c.get("addressMap").fields().forEachRemaining(e ->
                table.put(HostAndPort.from(e.getKey()), HostAndPort.from(e.getValue().asText())));
        // Sentinel hands out addresses on the deployment's network: dial their published ports instead
        HostAndPortMapper mapper = address -> table.getOrDefault(address, address);
        Set<HostAndPort> sentinels = new HashSet<>();
        c.get("sentinels").forEach(s -> sentinels.add(HostAndPort.from(s.asText())));

        JedisClientConfig master = DefaultJedisClientConfig.builder().hostAndPortMapper(mapper)
                .password(password(c.get("redisPassword"))).build();
        JedisClientConfig sentinel = DefaultJedisClientConfig.builder().hostAndPortMapper(mapper)
                .password(password(c.get("sentinelPassword"))).build();
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
}
