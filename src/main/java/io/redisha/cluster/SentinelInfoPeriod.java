package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.sentinel.RedisNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Sentinel made to ask its nodes for INFO every second instead of every ten while redisha waits for
 * what only that INFO shows ({@code SENTINEL DEBUG info-period}, Redis 7.0+ and Valkey; not persisted):
 * a replica's new priority or promotion during a switchover, the replicas of a master after
 * {@code SENTINEL RESET}. {@link #close} sets the former period back. One found at a second, as an
 * interrupted run leaves it (redisha never sets it otherwise), is set back to Sentinel's 10 s.
 */
final class SentinelInfoPeriod implements AutoCloseable {
    /** Sentinel's period of INFO to the replicas during a failover, fixed in sentinel.c, and the one set here. */
    static final long EVERY_SECOND_MS = 1000;
    /** Sentinel's own period outside a failover, which a Sentinel starts with. */
    static final long SENTINEL_DEFAULT_MS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(SentinelInfoPeriod.class);

    private final RedisNodes redis;
    private final Node sentinel;
    private final Progress progress;
    private final Long former;

    private SentinelInfoPeriod(RedisNodes redis, Node sentinel, Progress progress, Long former) {
        this.redis = redis;
        this.sentinel = sentinel;
        this.progress = progress;
        this.former = former;
    }

    /** Sets the Sentinel's INFO period to a second; when it cannot be asked, changes nothing (then {@link #changed()} is false). */
    static SentinelInfoPeriod everySecond(RedisNodes redis, Node sentinel, Progress progress) {
        try (Jedis jedis = redis.sentinel(sentinel.nameAddress())) {
            Long former = parse(jedis.sendCommand(Protocol.Command.SENTINEL, "DEBUG"));
            if (former == null) {
                LOG.debug("{}: SENTINEL DEBUG lists no INFO-PERIOD; its INFO period stays", sentinel.name());
                return new SentinelInfoPeriod(redis, sentinel, progress, null);
            }
            if (former == EVERY_SECOND_MS) {
                former = SENTINEL_DEFAULT_MS;
            } else if (former > EVERY_SECOND_MS) {
                jedis.sendCommand(Protocol.Command.SENTINEL, "DEBUG", "info-period", String.valueOf(EVERY_SECOND_MS));
            }
            return new SentinelInfoPeriod(redis, sentinel, progress, former);
        } catch (JedisException e) {
            LOG.debug("{}: SENTINEL DEBUG refused ({}); its INFO period stays", sentinel.name(), e.getMessage());
            return new SentinelInfoPeriod(redis, sentinel, progress, null);
        }
    }

    /** Whether the Sentinel asks every second now. */
    boolean changed() {
        return former != null;
    }

    /** Sets the former period back; a failure is reported as a step (the Sentinel keeps asking every second until it restarts). */
    @Override
    public void close() {
        if (former == null || former <= EVERY_SECOND_MS) {
            return;
        }
        try (Jedis jedis = redis.sentinel(sentinel.nameAddress())) {
            jedis.sendCommand(Protocol.Command.SENTINEL, "DEBUG", "info-period", String.valueOf(former));
        } catch (JedisException e) {
            progress.step("could not set " + sentinel.name() + "'s INFO period back to " + former + " ms ("
                    + e.getMessage() + "); it asks its nodes every second until it restarts");
        }
    }

    /** The INFO-PERIOD of a {@code SENTINEL DEBUG} reply (a flat list of names and values), or null. */
    static Long parse(Object reply) {
        if (!(reply instanceof List<?> items)) {
            return null;
        }
        for (int i = 0; i + 1 < items.size(); i += 2) {
            if ("INFO-PERIOD".equalsIgnoreCase(text(items.get(i)))) {
                try {
                    return items.get(i + 1) instanceof Long l ? l : Long.parseLong(text(items.get(i + 1)));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }
}
