package io.redisha.failover;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A client writing at a steady rate to the master Sentinel names, as an application would. Each
 * write is {@code SET <prefix><seq> <unique value>} and ends as
 * <ul>
 *   <li>ACK: Redis replied OK;</li>
 *   <li>FAILED: it certainly did not happen (no connection, or an error reply such as READONLY);</li>
 *   <li>UNKNOWN: it was sent but no reply came (timeout, connection lost): it may or may not be applied.</li>
 * </ul>
 * With {@code WAIT}, a write that Redis applied but fewer replicas confirmed in time ends as
 * UNCONFIRMED: not acknowledged to the application, though it may survive.
 * <p>
 * Following Sentinel, the client asks a Sentinel for the master again after a failure, and a
 * {@code +switch-master} event ({@link #masterSwitched}) moves it at once, as Sentinel-aware clients
 * do. A sticky client ({@link Sticky}) instead stays with the node it started on, as an application
 * holding a long-lived connection does: it connects to it again when its connection drops, and
 * keeps writing whatever role the node has.
 */
final class WriteWorkload implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteWorkload.class);

    enum Outcome { ACK, FAILED, UNKNOWN, UNCONFIRMED }

    /**
     * Stay with one node.
     *
     * @param node     the node as Redis names it on the deployment's network ("name:port"), dialled through the mapper
     * @param relocate reads where the node is published again, after a connection to it failed (a
     *                 node moved between networks can be published on another port)
     */
    record Sticky(String node, Runnable relocate) {
    }

    /**
     * {@code WAIT replicas timeoutMillis} after each write.
     *
     * @param replicas how many replicas must confirm the write for it to count as acknowledged
     */
    record Wait(int replicas, long timeoutMillis) {
    }

    private static final long RELOCATE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * One write attempt.
     *
     * @param target "ip:port" it was sent to (as Sentinel named it), or null when no Sentinel answered
     * @param nanos  {@link System#nanoTime()} when its outcome was known
     */
    record Write(long seq, String key, String value, Outcome outcome, String target, long nanos, String error) {
    }

    private final JedisClientConfig redisConfig;
    private final JedisClientConfig sentinelConfig;
    private final List<HostAndPort> sentinels;
    private final String masterName;
    private final String keyPrefix;
    private final long periodNanos;
    private final SetParams expiry;
    private final List<Write> writes = new ArrayList<>();
    private final AtomicReference<String> switchedTo = new AtomicReference<>();
    private final Thread thread;
    private final Sticky sticky;
    private final Wait wait;
    private boolean relocate;
    private long relocatedNanos;
    private volatile boolean running;
    private long startNanos;
    private long stopNanos;
    private String target;
    private Jedis connection;
    private int nextSentinel;

    /**
     * @param redisConfig    loopback-mapped config whose timeouts decide when a write becomes UNKNOWN
     * @param sentinels      network addresses of the Sentinels to ask, in turn
     * @param keyPrefix      every key starts with it; unique per run and round
     * @param ratePerSecond  writes per second (more than 0)
     * @param ttlSeconds     every key expires after it, so that a run killed before it deleted its
     *                       keys leaves nothing behind for long
     * @param sticky         the node to stay with, or null to follow Sentinel
     * @param wait           the WAIT to send after each write, or null for none
     */
    WriteWorkload(JedisClientConfig redisConfig, JedisClientConfig sentinelConfig, List<HostAndPort> sentinels,
                  String masterName, String keyPrefix, int ratePerSecond, long ttlSeconds, Sticky sticky, Wait wait) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.redisConfig = redisConfig;
        this.sentinelConfig = sentinelConfig;
        this.sentinels = List.copyOf(sentinels);
        this.masterName = masterName;
        this.keyPrefix = keyPrefix;
        this.periodNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        this.expiry = SetParams.setParams().ex(ttlSeconds);
        this.sticky = sticky;
        this.wait = wait;
        this.thread = new Thread(this::run, sticky == null ? "redisha-writes" : "redisha-sticky-writes");
        this.thread.setDaemon(true);
    }

    void start() {
        running = true;
        startNanos = System.nanoTime();
        thread.start();
    }

    /** Sentinel announced a new master: the next write goes there (a sticky client stays where it is). */
    void masterSwitched(String address) {
        if (sticky == null) {
            switchedTo.set(address);
        }
    }

    /** Waits (observing the log) until {@code count} writes were acknowledged or the deadline passed. */
    boolean awaitAcks(int count, long deadlineNanos) {
        synchronized (writes) {
            while (writes.stream().filter(w -> w.outcome() == Outcome.ACK).count() < count) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || !running) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(writes, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Stops writing (the write in flight completes) and returns every attempt in order. */
    List<Write> stop() {
        if (running) {
            running = false;
            LockSupport.unpark(thread);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopNanos = System.nanoTime();
        }
        synchronized (writes) {
            return List.copyOf(writes);
        }
    }

    long startNanos() {
        return startNanos;
    }

    long stopNanos() {
        return stopNanos;
    }

    private void run() {
        long next = System.nanoTime();
        long seq = 0;
        try {
            while (running) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                seq++;
                Write write;
                try {
                    write = writeOnce(seq);
                } catch (RuntimeException e) {
                    // whatever went wrong, the client keeps going, and the attempt is on record
                    lostConnection();
                    write = new Write(seq, keyPrefix + seq, null, Outcome.FAILED, null, System.nanoTime(), e.toString());
                }
                synchronized (writes) {
                    writes.add(write);
                    writes.notifyAll();
                }
                // no bursts to catch up after a slow write: the rate is a ceiling
                next = Math.max(next + periodNanos, System.nanoTime());
            }
        } finally {
            closeConnection();
        }
    }

    private Write writeOnce(long seq) {
        String key = keyPrefix + seq;
        String value = keyPrefix + seq + "@" + System.nanoTime();
        if (sticky != null) {
            target = sticky.node();
            relocateIfDue();
        } else {
            String hint = switchedTo.getAndSet(null);
            if (hint != null && !hint.equals(target)) {
                closeConnection();
                target = hint;
            }
        }
        if (target == null) {
            target = askSentinels();
            if (target == null) {
                return new Write(seq, key, value, Outcome.FAILED, null, System.nanoTime(), "no Sentinel named a master");
            }
        }
        String sentTo = target;
        if (connection == null) {
            try {
                // Jedis connects (and names the client) in its constructor: a failure here sent nothing
                connection = new Jedis(HostAndPort.from(sentTo), redisConfig);
            } catch (JedisException e) {
                lostConnection();
                return new Write(seq, key, value, Outcome.FAILED, sentTo, System.nanoTime(), e.getMessage());
            }
        }
        try {
            String reply = connection.set(key, value, expiry);
            if (!"OK".equals(reply)) {
                refused();
                return new Write(seq, key, value, Outcome.FAILED, sentTo, System.nanoTime(), "reply " + reply);
            }
            if (wait != null) {
                long confirmed = connection.waitReplicas(wait.replicas(), wait.timeoutMillis());
                if (confirmed < wait.replicas()) {
                    return new Write(seq, key, value, Outcome.UNCONFIRMED, sentTo, System.nanoTime(),
                            "WAIT: " + confirmed + " of " + wait.replicas() + " replicas");
                }
            }
            return new Write(seq, key, value, Outcome.ACK, sentTo, System.nanoTime(), null);
        } catch (JedisConnectionException e) {
            // sent, but no reply: Redis may have applied it
            lostConnection();
            return new Write(seq, key, value, Outcome.UNKNOWN, sentTo, System.nanoTime(), e.getMessage());
        } catch (JedisException e) {
            // an error reply (READONLY, NOREPLICAS...): Redis refused it
            refused();
            return new Write(seq, key, value, Outcome.FAILED, sentTo, System.nanoTime(), e.getMessage());
        }
    }

    /** The connection failed: a Sentinel-following client asks for the master again, a sticky one dials its node again. */
    private void lostConnection() {
        forgetMaster();
        relocate = sticky != null;
    }

    /** An error reply: a sticky client keeps its connection, as an application's connection pool would. */
    private void refused() {
        if (sticky == null) {
            forgetMaster();
        }
    }

    private void relocateIfDue() {
        long now = System.nanoTime();
        if (relocate && connection == null && now - relocatedNanos >= RELOCATE_EVERY_NANOS) {
            relocatedNanos = now;
            relocate = false;
            try {
                sticky.relocate().run();
            } catch (RuntimeException e) {
                log.debug("could not read where {} is published: {}", sticky.node(), e.getMessage());
            }
        }
    }

    private void forgetMaster() {
        closeConnection();
        target = null;
    }

    /** "ip:port" of the master as the next Sentinel in turn that answers names it, or null. */
    private String askSentinels() {
        for (int i = 0; i < sentinels.size(); i++) {
            HostAndPort sentinel = sentinels.get(nextSentinel);
            nextSentinel = (nextSentinel + 1) % sentinels.size();
            try (Jedis jedis = new Jedis(sentinel, sentinelConfig)) {
                List<String> address = jedis.sentinelGetMasterAddrByName(masterName);
                if (address != null && address.size() == 2) {
                    return address.get(0) + ":" + address.get(1);
                }
            } catch (JedisException e) {
                log.debug("sentinel {} did not answer: {}", sentinel, e.getMessage());
            }
        }
        return null;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException e) {
                log.debug("closing the write connection: {}", e.getMessage());
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
