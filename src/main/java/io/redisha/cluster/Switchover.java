package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.sentinel.RedisNodes;
import io.redisha.sentinel.ReplicationInfo;
import io.redisha.sentinel.SentinelEvent;
import io.redisha.sentinel.SentinelEvents;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves the master role to a chosen replica through Sentinel, so that no acknowledged write is lost:
 * the other replicas are made unpromotable (replica-priority 0) until a Sentinel has seen it; the
 * master stops acknowledging writes ({@code CLIENT PAUSE WRITE}); the chosen replica catches up to
 * the master's offset; {@code SENTINEL FAILOVER}; the switch is confirmed by {@code +switch-master};
 * the old master is made a replica of the new one before its writes resume, so a write it still
 * receives is refused, never acknowledged and then dropped. The priorities are restored afterwards.
 */
final class Switchover {
    private final RedisNodes redis;
    private final RuntimeSettings runtime;
    private final NodeSettings settings;
    private final Progress progress;

    Switchover(RedisNodes redis, RuntimeSettings runtime, NodeSettings settings, Progress progress) {
        this.redis = redis;
        this.runtime = runtime;
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * @param others      the other running replicas, kept from being promoted meanwhile
     * @param sentinels   the running Sentinels; the first that answers performs the failover
     * @param failoverTimeoutMillis the Sentinels' failover-timeout, which bounds the writes' pause
     * @throws NotReadyException when the switch did not happen by the deadline (the master then
     *                           takes writes again and the priorities are restored)
     */
    void run(Node master, Node target, List<Node> others, List<Node> sentinels, int failoverTimeoutMillis,
             long deadline) {
        progress.step("switchover: " + master.name() + " -> " + target.name());
        Node sentinel = sentinels.get(0);
        try {
            for (Node other : others) {
                runtime.set(other, "replica-priority", "0");
            }
            awaitPriorities(sentinel, target, others, deadline);
            try (SentinelEvents events = new SentinelEvents(redis.sentinelConfig(2000, 0), List.of(sentinel), e -> { })) {
                events.start();
                List<String> missing = events.awaitSubscribed(deadline);
                if (!missing.isEmpty()) {
                    throw new NotReadyException("cannot follow the switchover: no subscription to " + missing);
                }
                long pauseMillis = Math.max(10_000L, 2L * failoverTimeoutMillis);
                progress.step("pausing writes on " + master.name() + " (CLIENT PAUSE " + pauseMillis + " WRITE)");
                long pausedAt = System.nanoTime();
                try (Jedis jedis = redis.redis(master.nameAddress())) {
                    jedis.clientPause(pauseMillis, ClientPauseMode.WRITE);
                }
                try {
                    long writesDeadline = Math.min(deadline, pausedAt + pauseMillis * 1_000_000L / 2);
                    awaitCaughtUp(master, target, writesDeadline);
                    progress.step("SENTINEL FAILOVER " + redis.masterName() + " on " + sentinel.name());
                    try (Jedis jedis = redis.sentinel(sentinel.nameAddress())) {
                        jedis.sentinelFailover(redis.masterName());
                    } catch (JedisException e) {
                        throw new NotReadyException("SENTINEL FAILOVER on " + sentinel.name() + " failed: " + e.getMessage());
                    }
                    Optional<SentinelEvent> switched = events.await(SentinelEvent::isSwitchMaster, writesDeadline);
                    if (switched.isEmpty()) {
                        throw new NotReadyException("no +switch-master from " + sentinel.name() + " within "
                                + (writesDeadline - pausedAt) / 1_000_000 + " ms of pausing the writes");
                    }
                    progress.step(sentinel.name() + ": " + switched.get().type() + " " + switched.get().message());
                    demote(master, target);
                } finally {
                    unpause(master);
                    progress.step("writes paused for " + (System.nanoTime() - pausedAt) / 1_000_000 + " ms on "
                            + master.name());
                }
            }
        } finally {
            for (Node other : others) {
                restorePriority(other);
            }
        }
    }

    /** Waits until the Sentinel that will fail over has read the new priorities (it reads INFO every 10 s). */
    private void awaitPriorities(Node sentinel, Node target, List<Node> others, long deadline) {
        Poll<Void> seen = Await.reporting(gap -> progress.step("waiting: " + sentinel.name() + " " + gap))
                .until(deadline, () -> Poll.unless(priorityGap(sentinel, target, others)));
        if (!seen.done()) {
            throw new NotReadyException("cannot prepare the switchover: " + sentinel.name() + " " + seen.missing());
        }
    }

    private String priorityGap(Node sentinel, Node target, List<Node> others) {
        List<Map<String, String>> listed;
        try (Jedis jedis = redis.sentinel(sentinel.nameAddress())) {
            listed = jedis.sentinelReplicas(redis.masterName());
        } catch (JedisException e) {
            return "cannot be asked: " + e.getMessage();
        }
        List<String> gaps = new ArrayList<>();
        boolean targetReady = false;
        for (Map<String, String> r : listed) {
            String ip = r.get("ip");
            String priority = r.get("slave-priority");
            String flags = r.getOrDefault("flags", "");
            if (ip != null && ip.equals(target.networkIp())) {
                targetReady = !"0".equals(priority) && !flags.contains("down") && !flags.contains("disconnected")
                        && "ok".equals(r.get("master-link-status"));
            } else if (others.stream().anyMatch(o -> ip != null && ip.equals(o.networkIp())) && !"0".equals(priority)) {
                gaps.add("still sees replica-priority " + priority + " on " + ip);
            }
        }
        if (!targetReady) {
            gaps.add(0, "does not list " + target.name() + " as a healthy replica yet");
        }
        return gaps.isEmpty() ? null : String.join(", ", gaps);
    }

    /** Waits until the target has every write the (paused) master acknowledged. */
    private void awaitCaughtUp(Node master, Node target, long deadline) {
        Poll<Long> caughtUp = Await.quietly().until(deadline, () -> {
            ReplicationInfo m = redis.replication(master.nameAddress());
            ReplicationInfo t = redis.replication(target.nameAddress());
            return t.linkUp() && t.offset() >= m.offset() ? Poll.done(m.offset())
                    : Poll.waiting(target.name() + " at offset " + t.offset() + ", master at " + m.offset());
        });
        if (!caughtUp.done()) {
            throw new NotReadyException("cannot switch over: " + caughtUp.missing());
        }
        progress.step(target.name() + " caught up with " + master.name() + " at offset " + caughtUp.value());
    }

    /** Makes the old master a replica of the new one now, rather than when a Sentinel gets to it. */
    private void demote(Node master, Node target) {
        try (Jedis jedis = redis.redis(master.nameAddress())) {
            jedis.replicaof(target.networkIp() != null ? target.networkIp() : target.name(), target.service().port());
        } catch (JedisException e) {
            progress.step("could not make " + master.name() + " a replica at once (" + e.getMessage()
                    + "); the Sentinels will");
        }
    }

    private void unpause(Node master) {
        try (Jedis jedis = redis.redis(master.nameAddress())) {
            jedis.clientUnpause();
        } catch (JedisException e) {
            progress.step("could not end the pause on " + master.name() + ": " + e.getMessage());
        }
    }

    private void restorePriority(Node node) {
        try {
            runtime.set(node, "replica-priority", String.valueOf(settings.replicaPriority(node.service(), node.index())));
        } catch (JedisException e) {
            progress.step("could not restore replica-priority on " + node.name() + " (" + e.getMessage()
                    + "); the next up does");
        }
    }
}
