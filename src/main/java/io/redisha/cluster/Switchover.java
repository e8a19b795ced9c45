package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.sentinel.RedisNodes;
import io.redisha.sentinel.ReplicationInfo;
import io.redisha.sentinel.SentinelEvent;
import io.redisha.sentinel.SentinelEvents;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves the master role to a chosen replica through Sentinel, so that no acknowledged write is lost:
 * the other replicas are made unpromotable (replica-priority 0) until a Sentinel has seen it; the
 * master stops acknowledging writes ({@code CLIENT PAUSE WRITE}) once the chosen replica is within a
 * few bytes of its offset; the replica catches up to the master's offset; {@code SENTINEL FAILOVER};
 * as soon as the replica answers as a master, the old master is made its replica and its writes
 * resume (a write it still receives is refused, never acknowledged and then dropped); the switch is
 * confirmed by {@code +switch-master}. The priorities are restored afterwards.
 */
final class Switchover {
    /** How far behind the master's offset the target may be when the writes are paused. */
    static final long CLOSE_ENOUGH_BYTES = 64;
    /** How long the pause waits for the target to come that close. */
    private static final Duration NEARLY_WITHIN = Duration.ofSeconds(2);
    /** How often the offsets and the promotion are looked at while the writes wait. */
    private static final Duration LOOK_EVERY = Duration.ofMillis(10);
    /**
     * How long before the Sentinel's next INFO of the target {@code SENTINEL FAILOVER} is sent: the
     * Sentinel sends {@code REPLICAOF NO ONE} on its third tick after the command (ticks are 50 to
     * 100 ms apart), and its INFO must come after it to see the promotion.
     */
    static final long PROMOTION_LEAD_MS = 350;
    /** How wide the moment to pause in is: the Sentinel is asked every {@link #LOOK_EVERY}, which takes a few ms. */
    static final long PHASE_WINDOW_MS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(Switchover.class);

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
        // Sentinel sees the promotion in its next INFO of the target, sent once a second during a failover,
        // counted from its last answer: if that is over a second old when the failover starts, it asks at
        // once, before the promotion, and sees it a second later. So it asks every node once a second from
        // here (which also makes it see the priorities below within a second rather than ten), and the
        // writes pause when its next INFO of the target is due just after the promotion.
        SentinelPeriod infoPeriod = SentinelPeriod.everySecond(redis, sentinel, progress);
        try {
            for (Node other : others) {
                runtime.set(other, "replica-priority", "0");
            }
            awaitPriorities(sentinel, target, others, deadline);
            long followedAt = System.nanoTime();
            // -vv: each step of the Sentinel's failover, timed from the subscription (the pause's start is a step too)
            try (SentinelEvents events = new SentinelEvents(redis.sentinelConfig(2000, 0), List.of(sentinel),
                    e -> LOG.debug("{} ms: {} {} {}", (e.nanos() - followedAt) / 1_000_000, e.sentinel(), e.type(), e.message()))) {
                events.start();
                List<String> missing = events.awaitSubscribed(deadline);
                if (!missing.isEmpty()) {
                    throw new NotReadyException("cannot follow the switchover: no subscription to " + missing);
                }
                long pauseMillis = Math.max(10_000L, 2L * failoverTimeoutMillis);
                // the pause lasts from here to the promotion: it starts once the target is nearly there, or
                // after a while all the same (writes faster than the link keep it further behind)
                if (!nearlyCaughtUp(master, target, Math.min(deadline, Await.deadline(NEARLY_WITHIN)))) {
                    progress.step(target.name() + " still more than " + CLOSE_ENOUGH_BYTES + " bytes behind "
                            + master.name() + " after " + NEARLY_WITHIN.toMillis() + " ms; pausing all the same");
                }
                if (infoPeriod.changed()) {
                    awaitInfoPhase(sentinel, target, Math.min(deadline,
                            Await.deadline(Duration.ofMillis(3 * SentinelPeriod.EVERY_SECOND_MS))));
                }
                progress.step("pausing writes on " + master.name() + " (CLIENT PAUSE " + pauseMillis + " WRITE)");
                long pausedAt = System.nanoTime();
                LOG.debug("{} ms: pausing the writes", (pausedAt - followedAt) / 1_000_000);
                try (Jedis jedis = redis.redis(master.nameAddress())) {
                    jedis.clientPause(pauseMillis, ClientPauseMode.WRITE);
                }
                long writesDeadline = Math.min(deadline, pausedAt + pauseMillis * 1_000_000L / 2);
                try {
                    awaitCaughtUp(master, target, writesDeadline);
                    progress.step("SENTINEL FAILOVER " + redis.masterName() + " on " + sentinel.name());
                    try (Jedis jedis = redis.sentinel(sentinel.nameAddress())) {
                        jedis.sentinelFailover(redis.masterName());
                    } catch (JedisException e) {
                        throw new NotReadyException("SENTINEL FAILOVER on " + sentinel.name() + " failed: " + e.getMessage());
                    }
                    awaitPromoted(target, events, writesDeadline);
                    // refused from now on by the old master, so none is acknowledged there and then dropped
                    demote(master, target);
                } finally {
                    unpause(master);
                    progress.step("writes paused for " + (System.nanoTime() - pausedAt) / 1_000_000 + " ms on "
                            + master.name());
                }
                // the Sentinel tells them too, then waits for their next INFO (once a second during a failover) to
                // show the new master with the link up: told first, one INFO shows both, and +switch-master comes
                // sooner; no more at once than the Sentinels would resynchronise (parallel-syncs)
                for (Node other : others.subList(0, Math.min(others.size(), settings.parallelSyncs()))) {
                    demote(other, target);
                }
                Optional<SentinelEvent> switched = events.await(SentinelEvent::isSwitchMaster, writesDeadline);
                if (switched.isEmpty()) {
                    throw new NotReadyException("no +switch-master from " + sentinel.name() + " within "
                            + (writesDeadline - pausedAt) / 1_000_000 + " ms of pausing the writes");
                }
                progress.step(sentinel.name() + ": " + switched.get().type() + " " + switched.get().message());
            }
        } finally {
            infoPeriod.close();
            for (Node other : others) {
                restorePriority(other);
            }
        }
    }

    /** Waits until the Sentinel that will fail over has read the new priorities (in its next INFO of each replica). */
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

    /**
     * Waits until the Sentinel's last INFO of the target is {@link SentinelPeriod#EVERY_SECOND_MS} less
     * {@link #PROMOTION_LEAD_MS} old, so that its next one follows the promotion closely; at most until
     * the deadline (the switchover then goes on all the same).
     */
    private void awaitInfoPhase(Node sentinel, Node target, long deadline) {
        long latest = SentinelPeriod.EVERY_SECOND_MS - PROMOTION_LEAD_MS;
        Poll<Long> due;
        try (Jedis jedis = redis.sentinel(sentinel.nameAddress())) {
            due = Await.quietly().every(LOOK_EVERY).until(deadline, () -> {
                Long age = infoAge(jedis, target);
                return age != null && age >= latest - PHASE_WINDOW_MS && age <= latest ? Poll.done(age)
                        : Poll.waiting(sentinel.name() + "'s last INFO of " + target.name() + " " + age + " ms old");
            });
        } catch (JedisException e) {
            due = Poll.waiting(sentinel.name() + " cannot be asked: " + e.getMessage());
        }
        LOG.debug(due.done() ? "{}'s last INFO of {} was {} ms old: pausing" : "{}'s INFO of {} not timed ({}): pausing all the same",
                sentinel.name(), target.name(), due.done() ? due.value() : due.missing());
    }

    /** How long ago the Sentinel last had the target's INFO (its {@code info-refresh}), or null. */
    private Long infoAge(Jedis sentinel, Node target) {
        try {
            for (Map<String, String> r : sentinel.sentinelReplicas(redis.masterName())) {
                if (target.networkIp() != null && target.networkIp().equals(r.get("ip"))) {
                    String age = r.get("info-refresh");
                    return age == null ? null : Long.parseLong(age);
                }
            }
            return null;
        } catch (JedisException | NumberFormatException e) {
            return null;
        }
    }

    /** Waits until the target is at most {@link #CLOSE_ENOUGH_BYTES} behind the master; returns whether it got there. */
    private boolean nearlyCaughtUp(Node master, Node target, long deadline) {
        return offsets(master, target, CLOSE_ENOUGH_BYTES, deadline).done();
    }

    /** Waits until the target has every write the (paused) master acknowledged. */
    private void awaitCaughtUp(Node master, Node target, long deadline) {
        Poll<Long> caughtUp = offsets(master, target, 0, deadline);
        if (!caughtUp.done()) {
            throw new NotReadyException("cannot switch over: " + caughtUp.missing());
        }
        progress.step(target.name() + " caught up with " + master.name() + " at offset " + caughtUp.value());
    }

    /** Looks every {@link #LOOK_EVERY} until the target is at most {@code slack} bytes behind the master's offset. */
    private Poll<Long> offsets(Node master, Node target, long slack, long deadline) {
        return Await.quietly().every(LOOK_EVERY).until(deadline, () -> {
            try {
                ReplicationInfo mi = redis.replication(master.nameAddress());
                ReplicationInfo ti = redis.replication(target.nameAddress());
                return ti.linkUp() && ti.offset() + slack >= mi.offset() ? Poll.done(mi.offset())
                        : Poll.waiting(target.name() + " at offset " + ti.offset() + ", master at " + mi.offset());
            } catch (JedisException e) {
                return Poll.waiting("cannot be asked: " + e.getMessage());
            }
        });
    }

    /**
     * Waits until the target answers as a master (the Sentinel told it REPLICAOF NO ONE), looking every
     * {@link #LOOK_EVERY} rather than waiting for the Sentinel's own next look at it (once a second), so
     * that the writes resume as soon as the old master can be made its replica.
     *
     * @throws NotReadyException when the Sentinel gave the failover up, or by the deadline
     */
    private void awaitPromoted(Node target, SentinelEvents events, long deadline) {
        // a connection per look: the Sentinel's promotion ends with CLIENT KILL TYPE normal on the target
        Poll<Void> promoted = Await.quietly().every(LOOK_EVERY).until(deadline, () -> {
            Optional<SentinelEvent> abort = events.events().stream().filter(e -> e.type().startsWith("-failover-abort"))
                    .findFirst();
            if (abort.isPresent()) {
                throw new NotReadyException("the Sentinel gave the switchover up: " + abort.get().type() + " "
                        + abort.get().message());
            }
            try {
                return redis.replication(target.nameAddress()).isMaster() ? Poll.ok()
                        : Poll.waiting(target.name() + " not promoted yet");
            } catch (JedisException e) {
                return Poll.waiting(target.name() + " cannot be asked: " + e.getMessage());
            }
        });
        if (!promoted.done()) {
            throw new NotReadyException("cannot switch over: " + promoted.missing());
        }
        progress.step(target.name() + " promoted");
    }

    /** Makes a node (the old master, another replica) a replica of the new master now, rather than when a Sentinel gets to it. */
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
