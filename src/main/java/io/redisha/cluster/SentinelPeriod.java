package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.sentinel.RedisNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One of a Sentinel's timer periods shortened while redisha waits for what the Sentinel would
 * otherwise learn only at its pace ({@code SENTINEL DEBUG}, Redis 7.0+ and Valkey; not persisted).
 * {@link #close} sets the former period back. One found at the short value, as an interrupted run
 * leaves it (redisha never sets it otherwise), is set back to Sentinel's own default.
 */
final class SentinelPeriod implements AutoCloseable {
    /** The periods redisha shortens: Sentinel's name, its default and the value set here. */
    enum Kind {
        /**
         * INFO to the master and replicas (10 s outside a failover, 1 s during one, fixed in sentinel.c):
         * a replica's new priority or promotion during a switchover, the replicas of a master after
         * {@code SENTINEL RESET} or a scale, all seen within a second.
         */
        INFO("info-period", 10_000, 1000, "asks its nodes for INFO every second"),
        /**
         * PING, and the least time between two attempts to connect to a node or a Sentinel (1 s): a
         * Sentinel that tried a peer before it listened links to it within 100 ms instead of a second.
         */
        PING("ping-period", 1000, 100, "tries its links every 100 ms"),
        /**
         * Hello messages, by which Sentinels that were not told of one another (on Swarm, where
         * addresses are not fixed) find each other (2 s): every 200 ms instead.
         */
        HELLO("publish-period", 2000, 200, "says hello to the other Sentinels every 200 ms");

        final String name;
        final long sentinelDefault;
        final long shortened;
        private final String effect;

        Kind(String name, long sentinelDefault, long shortened, String effect) {
            this.name = name;
            this.sentinelDefault = sentinelDefault;
            this.shortened = shortened;
            this.effect = effect;
        }
    }

    /** Sentinel's period of INFO to the replicas during a failover, fixed in sentinel.c, and the one set here. */
    static final long EVERY_SECOND_MS = Kind.INFO.shortened;
    private static final Logger LOG = LoggerFactory.getLogger(SentinelPeriod.class);

    private final Kind kind;
    private final RedisNodes redis;
    private final Node sentinel;
    private final Progress progress;
    private final Long former;

    private SentinelPeriod(Kind kind, RedisNodes redis, Node sentinel, Progress progress, Long former) {
        this.kind = kind;
        this.redis = redis;
        this.sentinel = sentinel;
        this.progress = progress;
        this.former = former;
    }

    /** Sets the Sentinel's INFO period to a second; when it cannot be asked, changes nothing (then {@link #changed()} is false). */
    static SentinelPeriod everySecond(RedisNodes redis, Node sentinel, Progress progress) {
        SentinelPeriod period = shorten(Kind.INFO, redis, sentinel, progress);
        return period != null ? period : new SentinelPeriod(Kind.INFO, redis, sentinel, progress, null);
    }

    /**
     * Shortens the period; null when the Sentinel cannot be reached (yet). When it answers but lists
     * or accepts no such period, changes nothing ({@link #changed()} is false).
     */
    static SentinelPeriod shorten(Kind kind, RedisNodes redis, Node sentinel, Progress progress) {
        try (Jedis jedis = redis.sentinel(sentinel.nameAddress())) {
            Long former = parse(jedis.sendCommand(Protocol.Command.SENTINEL, "DEBUG"), kind);
            if (former == null) {
                LOG.debug("{}: SENTINEL DEBUG lists no {}; it stays", sentinel.name(), kind.name);
                return new SentinelPeriod(kind, redis, sentinel, progress, null);
            }
            if (former == kind.shortened) {
                former = kind.sentinelDefault;
            } else if (former > kind.shortened) {
                jedis.sendCommand(Protocol.Command.SENTINEL, "DEBUG", kind.name, String.valueOf(kind.shortened));
            }
            return new SentinelPeriod(kind, redis, sentinel, progress, former);
        } catch (JedisConnectionException e) {
            LOG.debug("{}: not reachable to shorten its {} ({})", sentinel.name(), kind.name, e.getMessage());
            return null;
        } catch (JedisException e) {
            LOG.debug("{}: SENTINEL DEBUG refused ({}); its {} stays", sentinel.name(), e.getMessage(), kind.name);
            return new SentinelPeriod(kind, redis, sentinel, progress, null);
        }
    }

    /** Whether the period is the short one now. */
    boolean changed() {
        return former != null;
    }

    /** Sets the former period back; a failure is reported as a step (the short period stays until the Sentinel restarts). */
    @Override
    public void close() {
        if (former == null || former <= kind.shortened) {
            return;
        }
        try (Jedis jedis = redis.sentinel(sentinel.nameAddress())) {
            jedis.sendCommand(Protocol.Command.SENTINEL, "DEBUG", kind.name, String.valueOf(former));
        } catch (JedisException e) {
            progress.step("could not set " + sentinel.name() + "'s " + kind.name + " back to " + former + " ms ("
                    + e.getMessage() + "); it " + kind.effect + " until it restarts");
        }
    }

    /** The period of a {@code SENTINEL DEBUG} reply (a flat list of names and values), or null. */
    static Long parse(Object reply, Kind kind) {
        if (!(reply instanceof List<?> items)) {
            return null;
        }
        String wanted = kind.name.toUpperCase(Locale.ROOT);
        for (int i = 0; i + 1 < items.size(); i += 2) {
            if (wanted.equalsIgnoreCase(text(items.get(i)))) {
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
