package io.redisha.failover;

import io.redisha.backend.Endpoint;
import io.redisha.backend.Node;
import io.redisha.cluster.Deployment;
import io.redisha.failover.FailoverReport.Check;
import io.redisha.failover.FailoverReport.Status;
import io.redisha.failover.FailoverReport.Writes;
import io.redisha.failover.WriteWorkload.Write;
import io.redisha.sentinel.RedisNodes;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A round's writes: the client that follows Sentinel and the one that stays with the old master,
 * both writing throughout the round, then the accounting of every write, read back from the master
 * Sentinel names once the deployment is ready again.
 */
final class RoundWrites {
    private static final Duration KEY_TTL_FLOOR = Duration.ofHours(1);
    private static final Duration BASELINE_WAIT = Duration.ofSeconds(5);
    private static final int WRITE_TIMEOUT_MILLIS = 1000;
    /** Below the socket timeout, so that a WAIT that times out still gets its reply. */
    private static final int WAIT_TIMEOUT_MILLIS = 500;
    private static final int READ_BACK_BATCH = 500;

    /** Both clients' figures; null when there were no writes. */
    record Accounted(Writes sentinel, Writes sticky) {
    }

    private final RedisNodes redis;
    private final FailoverOptions options;
    private final String keyPrefix;
    private final Supplier<Deployment> nodes;
    private final List<String> notes;
    private WriteWorkload workload;
    private WriteWorkload sticky;
    private List<Write> log = List.of();
    private List<Write> stickyLog = List.of();

    /**
     * @param nodes reads the deployment's nodes again
     * @param notes where to note what went wrong along the way
     */
    RoundWrites(RedisNodes redis, FailoverOptions options, String keyPrefix, Supplier<Deployment> nodes,
                List<String> notes) {
        this.redis = redis;
        this.options = options;
        this.keyPrefix = keyPrefix;
        this.nodes = nodes;
        this.notes = notes;
    }

    /** The test's keys outlive any round (and are deleted after it), yet expire if a run is killed. */
    long keyTtlSeconds() {
        return Math.max(KEY_TTL_FLOOR.toSeconds(), 10 * options.timeout().toSeconds());
    }

    /**
     * Starts both clients, the sticky one on the master, and waits for about a second of normal
     * writes from each, to compare with.
     */
    void start(List<Node> sentinels, Node master) {
        if (options.writeRate() == 0) {
            return;
        }
        WriteWorkload.Wait wait = options.waitReplicas() == 0 ? null
                : new WriteWorkload.Wait(options.waitReplicas(), WAIT_TIMEOUT_MILLIS);
        workload = workload(sentinels, keyPrefix, null, wait);
        sticky = workload(sentinels, keyPrefix + "sticky:", new WriteWorkload.Sticky(
                master.name() + ":" + master.service().port(), () -> nodes.get()), wait);
        workload.start();
        sticky.start();
        long deadline = System.nanoTime() + BASELINE_WAIT.toNanos();
        int baseline = Math.max(3, options.writeRate());
        if (!workload.awaitAcks(baseline, deadline)) {
            notes.add("the writes were not being acknowledged normally before the fault");
        }
        if (!sticky.awaitAcks(baseline, deadline)) {
            notes.add("the sticky client's writes to " + master.name() + " were not being acknowledged normally before"
                    + " the fault");
        }
    }

    private WriteWorkload workload(List<Node> sentinels, String prefix, WriteWorkload.Sticky stay,
                                   WriteWorkload.Wait wait) {
        return new WriteWorkload(redis.redisConfig(WRITE_TIMEOUT_MILLIS, WRITE_TIMEOUT_MILLIS),
                redis.sentinelConfig(WRITE_TIMEOUT_MILLIS, WRITE_TIMEOUT_MILLIS),
                sentinels.stream().map(s -> RedisNodes.hostAndPort(s.nameAddress())).toList(), redis.masterName(),
                prefix, options.writeRate(), keyTtlSeconds(), stay, wait);
    }

    /** Sentinel announced a new master: a Sentinel-aware client moves to it at once. */
    void masterSwitched(String newAddress) {
        if (workload != null) {
            workload.masterSwitched(newAddress);
        }
    }

    /** Every write of the Sentinel-following client so far; empty when there is no workload, or before {@link #finish}. */
    List<Write> log() {
        return log;
    }

    /** Stops the writes, whatever happened; later calls do nothing. */
    void stop() {
        if (workload != null) {
            log = workload.stop();
            stickyLog = sticky.stop();
        }
    }

    /**
     * Stops the writes, reads them back from the master Sentinel names now, and deletes them; null without writes.
     *
     * @param oldMaster   container name of the master when the fault began
     * @param switchNanos the first {@code +switch-master}, or null when there was none
     */
    Accounted finish(long origin, String oldMaster, Long switchNanos) {
        if (workload == null) {
            return null;
        }
        stop();
        Map<String, String> readBack = null;
        String error = null;
        try {
            List<Write> all = new ArrayList<>(log);
            all.addAll(stickyLog);
            readBack = readBack(all);
        } catch (JedisException | IllegalStateException e) {
            error = "could not read the writes back: " + e.getMessage();
            notes.add(error);
        }
        Deployment d = nodes.get();
        Integer wait = options.waitReplicas() == 0 ? null : options.waitReplicas();
        return new Accounted(
                WriteAccounting.account(options.writeRate(), log, readBack, error, origin, workload.startNanos(),
                        workload.stopNanos(), d::nameOf, new WriteAccounting.Context("sentinel", wait, oldMaster, switchNanos)),
                WriteAccounting.account(options.writeRate(), stickyLog, readBack, error, origin, sticky.startNanos(),
                        sticky.stopNanos(), d::nameOf, new WriteAccounting.Context("sticky", wait, oldMaster, switchNanos)));
    }

    private Map<String, String> readBack(List<Write> writes) {
        Map<String, String> values = new HashMap<>();
        try (Jedis jedis = new Jedis(RedisNodes.hostAndPort(masterNamedBySentinel()), redis.redisConfig(2000, 10_000))) {
            List<String> keys = WriteAccounting.keysToRead(writes);
            for (int i = 0; i < keys.size(); i += READ_BACK_BATCH) {
                List<String> batch = keys.subList(i, Math.min(keys.size(), i + READ_BACK_BATCH));
                List<String> found = jedis.mget(batch.toArray(String[]::new));
                for (int j = 0; j < batch.size(); j++) {
                    values.put(batch.get(j), found.get(j));
                }
            }
            List<String> all = writes.stream().map(Write::key).toList();
            try {
                for (int i = 0; i < all.size(); i += READ_BACK_BATCH) {
                    jedis.del(all.subList(i, Math.min(all.size(), i + READ_BACK_BATCH)).toArray(String[]::new));
                }
            } catch (JedisException e) {
                notes.add("could not delete the test keys " + keyPrefix + "*: " + e.getMessage());
            }
        }
        return values;
    }

    private Endpoint masterNamedBySentinel() {
        for (Node sentinel : nodes.get().sentinels()) {
            if (!sentinel.isRunning()) {
                continue;
            }
            try {
                Optional<String> named = redis.namedMaster(sentinel.nameAddress());
                if (named.isPresent()) {
                    return Endpoint.parse(named.get());
                }
            } catch (JedisException e) {
                // ask the next one
            }
        }
        throw new IllegalStateException("no Sentinel named a master");
    }

    /** The writes check of redisha's own (Sentinel-following) client, only when a bound was asked for with --max-lost. */
    Optional<Check> check(Writes writes) {
        if (writes == null || options.maxLost() == null) {
            return Optional.empty();
        }
        if (writes.lost() == null) {
            return Optional.of(new Check(RoundChecks.CHECK_WRITES, Status.FAIL, "lost writes unknown: " + writes.verifyError()));
        }
        String detail = writes.lost() + " of " + writes.acknowledged() + " acknowledged writes lost (--max-lost "
                + options.maxLost() + ")";
        return Optional.of(new Check(RoundChecks.CHECK_WRITES,
                writes.lost() <= options.maxLost() ? Status.PASS : Status.FAIL, detail));
    }
}
