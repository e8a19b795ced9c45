package io.redisha.sentinel;

import io.redisha.backend.Endpoint;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.HostAndPortMapper;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Translates the addresses that Redis and Sentinel hand out (addresses and DNS names on the
 * deployment's network) to the addresses the backend says this process can dial. An address it
 * cannot translate is refused rather than dialled: redisha never opens a connection to a node's
 * private address.
 */
public final class AddressMapper implements HostAndPortMapper {
    private final Supplier<Map<String, Endpoint>> book;
    private volatile Map<String, Endpoint> cache;

    /** @param book reads the current "host:port" to dialable address table; called again when an address is unknown */
    public AddressMapper(Supplier<Map<String, Endpoint>> book) {
        this.book = book;
        this.cache = Map.of();
    }

    /**
     * Replaces the cached table. A node that was restarted or reconnected can be dialled elsewhere
     * (a new ephemeral port) under the same network address, which a cache filled only on a miss
     * would never learn.
     */
    public void update(Map<String, Endpoint> table) {
        cache = Map.copyOf(table);
    }

    @Override
    public HostAndPort getHostAndPort(HostAndPort address) {
        String key = address.getHost() + ":" + address.getPort();
        Endpoint mapped = cache.get(key);
        if (mapped == null) {
            cache = Map.copyOf(book.get());
            mapped = cache.get(key);
        }
        if (mapped == null) {
            if (cache.containsValue(new Endpoint(address.getHost(), address.getPort()))) {
                return address;
            }
            throw new JedisConnectionException("no dialable address for " + key
                    + " (not a node of this project, or the node is not running)");
        }
        return new HostAndPort(mapped.host(), mapped.port());
    }
}
