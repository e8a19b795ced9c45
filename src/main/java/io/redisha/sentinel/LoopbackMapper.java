package io.redisha.sentinel;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.HostAndPortMapper;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Translates the addresses that Redis and Sentinel hand out (container IPs and DNS names on the
 * project's network) to the ports the containers publish on the host's loopback address.
 * An address it cannot translate is refused rather than dialled: the host never opens a
 * connection to a container's private address.
 */
public final class LoopbackMapper implements HostAndPortMapper {
    private final Supplier<Map<String, HostAndPort>> book;
    private volatile Map<String, HostAndPort> cache;

    /** @param book reads the current "host:port" to published address table; called again when an address is unknown */
    public LoopbackMapper(Supplier<Map<String, HostAndPort>> book) {
        this.book = book;
        this.cache = Map.of();
    }

    public static LoopbackMapper of(Map<String, HostAndPort> table) {
        return new LoopbackMapper(() -> table);
    }

    /**
     * Replaces the cached table. A container that was restarted or reconnected publishes a new
     * ephemeral port under the same network address, which a cache filled only on a miss would
     * never learn.
     */
    public void update(Map<String, HostAndPort> table) {
        cache = Map.copyOf(table);
    }

    @Override
    public HostAndPort getHostAndPort(HostAndPort address) {
        String key = address.getHost() + ":" + address.getPort();
        HostAndPort mapped = cache.get(key);
        if (mapped == null) {
            cache = Map.copyOf(book.get());
            mapped = cache.get(key);
        }
        if (mapped == null) {
            if (cache.containsValue(address)) {
                return address;
            }
            throw new JedisConnectionException("no published host port for " + key
                    + " (not a node of this project, or the node is not running)");
        }
        return mapped;
    }
}
