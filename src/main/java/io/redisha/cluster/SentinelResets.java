package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.sentinel.RedisNodes;
import io.redisha.sentinel.SentinelView;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The Sentinel documentation's procedure for making Sentinels forget nodes: {@code SENTINEL RESET}
 * one Sentinel at a time, each only while no failover is in progress, each followed by a wait until
 * it knows exactly the running Sentinels and replicas again, so that the majority is never lost.
 * Used after a shrink, and by every readiness wait for Sentinels that keep stale entries.
 */
final class SentinelResets {
    private final Observer observer;
    private final RedisNodes redis;
    private final Progress progress;

    SentinelResets(Observer observer, RedisNodes redis, Progress progress) {
        this.observer = observer;
        this.redis = redis;
        this.progress = progress;
    }

    /** Resets every running Sentinel. */
    void resetAll(Expected expected, long deadline) {
        reset(expected, observer.refresh().sentinels().stream().filter(Node::isRunning).map(Node::name).toList(),
                deadline);
    }

    /**
     * Resets the named Sentinels, one at a time.
     *
     * @param deadline {@link System#nanoTime()} by which each must have rediscovered the deployment,
     *                 else {@link NotReadyException}
     */
    void reset(Expected expected, List<String> names, long deadline) {
        List<Node> running = observer.refresh().sentinels().stream().filter(Node::isRunning).toList();
        List<Node> sentinels = running.stream().filter(s -> names.contains(s.name())).toList();
        for (int i = 0; i < sentinels.size(); i++) {
            Node master = awaitQuiet(expected, deadline);
            Deployment d = observer.deployment();
            Node sentinel = sentinels.get(i);
            progress.step("SENTINEL RESET " + redis.masterName() + " on " + sentinel.name() + " (" + (i + 1) + "/"
                    + sentinels.size() + ")");
            // the reset Sentinel learns the replicas from its next INFO of the master: in a second, not ten
            Set<String> others = ids(running.stream().filter(s -> !s.id().equals(sentinel.id())).toList());
            Set<String> replicas = ids(d.redisNodes().stream().filter(n -> !n.id().equals(master.id())).toList());
            Poll<Void> known;
            try (SentinelPeriod ignored = SentinelPeriod.everySecond(redis, sentinel, progress)) {
                send(sentinel, deadline);
                known = Await.reporting(gap -> progress.step("waiting: " + sentinel.name() + " " + gap))
                        .until(deadline, () -> Poll.unless(rediscoveryGap(observer.deployment(),
                                redis.sentinelView(sentinel.nameAddress()), master, others, replicas)));
            }
            if (!known.done()) {
                throw new NotReadyException(sentinel.name() + " did not rediscover the deployment after SENTINEL RESET: "
                        + known.missing());
            }
            progress.step(sentinel.name() + " knows " + plural(others.size(), "other sentinel") + " and "
                    + plural(replicas.size(), "replica") + " again");
        }
    }

    private void send(Node sentinel, long deadline) {
        Poll<Long> sent = Await.reporting(error -> progress.step("retrying SENTINEL RESET on " + sentinel.name() + ": " + error))
                .until(deadline, () -> {
                    try (Jedis jedis = redis.sentinel(sentinel.nameAddress())) {
                        return Poll.done(jedis.sentinelReset(redis.masterName()));
                    } catch (JedisException e) {
                        return Poll.waiting(e.getMessage());
                    }
                });
        if (!sent.done()) {
            throw new NotReadyException("SENTINEL RESET on " + sentinel.name() + " failed: " + sent.missing());
        }
        if (sent.value() != 1) {
            throw new NotReadyException(sentinel.name() + " does not monitor " + redis.masterName());
        }
    }

    /**
     * Waits until no failover is in progress and the Sentinels agree on a master that reports
     * role:master ({@link Inspector#quietMaster}); returns that master.
     */
    Node awaitQuiet(Expected expected, long deadline) {
        Poll<Node> quiet = Await.reporting(reason -> progress.step("waiting before changing the Sentinels: " + reason))
                .until(deadline, () -> Inspector.quietMaster(observer.observe()));
        if (!quiet.done()) {
            throw new NotReadyException("cannot change the Sentinels safely: " + quiet.missing());
        }
        return quiet.value();
    }

    /**
     * What keeps a Sentinel from knowing exactly the given master, other Sentinels and replicas (by
     * node id), none of them flagged down; null when it knows exactly them.
     */
    static String rediscoveryGap(Deployment d, SentinelView view, Node master, Set<String> others,
                                 Set<String> replicas) {
        if (!view.reachable()) {
            return "cannot be asked: " + view.error();
        }
        Optional<Node> named = d.byAddress(view.masterAddress());
        if (named.isEmpty() || !named.get().id().equals(master.id())) {
            return "names " + named.map(Node::name).orElse(view.masterAddress()) + " as master, not "
                    + master.name();
        }
        List<String> gaps = new ArrayList<>();
        gap(d, "other sentinels", view.otherSentinels(), others).ifPresent(gaps::add);
        gap(d, "replicas", view.knownReplicas(), replicas).ifPresent(gaps::add);
        return gaps.isEmpty() ? null : String.join(", ", gaps);
    }

    private static Optional<String> gap(Deployment d, String what, List<SentinelView.Instance> listed, Set<String> wanted) {
        Set<String> live = new HashSet<>();
        Set<String> stale = new TreeSet<>();
        for (SentinelView.Instance instance : listed) {
            Optional<Node> node = d.byAddress(instance.address());
            if (node.isPresent() && wanted.contains(node.get().id()) && !instance.isDown()) {
                live.add(node.get().id());
            } else {
                stale.add(node.map(Node::name).orElse(instance.address())
                        + (instance.isDown() ? " (down)" : ""));
            }
        }
        if (live.equals(wanted) && stale.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("knows " + live.size() + " of " + wanted.size() + " " + what
                + (stale.isEmpty() ? "" : ", and also " + String.join(", ", stale)));
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static Set<String> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toSet());
    }
}
