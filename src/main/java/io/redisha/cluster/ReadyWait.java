package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.sentinel.RedisNodes;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Waits until the deployment is ready as the {@link Inspector} judges it. Fails early when a node
 * stops, and resets Sentinels that keep stale entries (one at a time) when that is safe.
 */
final class ReadyWait {
    private static final Logger log = LoggerFactory.getLogger(ReadyWait.class);
    /**
     * How often readiness is looked at: each look asks the engine and every node once, and a fresh
     * deployment becomes ready within a second or two, so the usual 250 ms would be a large share.
     */
    private static final Duration LOOK_EVERY = Duration.ofMillis(100);

    private final Backend backend;
    private final Observer observer;
    private final SentinelResets resets;
    private final Progress progress;
    private final RedisNodes redis;

    ReadyWait(Backend backend, Observer observer, SentinelResets resets, Progress progress, RedisNodes redis) {
        this.backend = backend;
        this.observer = observer;
        this.resets = resets;
        this.progress = progress;
        this.redis = redis;
    }

    ClusterStatus await(Expected expected, long deadline) {
        return await(expected, deadline, null);
    }

    /** @param first a status just observed, taken as the first look; null to look first */
    ClusterStatus await(Expected expected, long deadline, ClusterStatus first) {
        long start = System.nanoTime();
        ClusterStatus[] last = new ClusterStatus[1];
        ClusterStatus[] given = {first};
        Conditions conditions = new Conditions(start);
        Map<String, SentinelPeriod> quickLinks = new LinkedHashMap<>();
        Poll<ClusterStatus> ready;
        try {
            ready = Await.reporting(summary -> progress.step("waiting: " + summary)).every(LOOK_EVERY)
                    .until(deadline, () -> {
                ClusterStatus status = given[0] != null ? given[0] : observer.status(expected);
                given[0] = null;
                if (!status.ready() && resetStaleSentinels(status, expected, deadline)) {
                    status = observer.status(expected);
                }
                conditions.look(status.notReady());
                if (status.ready()) {
                    return Poll.done(status);
                }
                Optional<Node> dead = observer.deployment().nodes().stream().filter(this::exited).findFirst();
                if (dead.isPresent()) {
                    throw notReady(dead.get().name() + " exited while waiting for the deployment to be ready"
                            + (dead.get().state() == NodeState.RESTARTING ? " (the engine is starting it again)" : ""), dead.get());
                }
                last[0] = status;
                quickenLinks(status, quickLinks);
                return Poll.waiting(status.notReady().get(0)
                        + (status.notReady().size() > 1 ? " (+" + (status.notReady().size() - 1) + " more)" : ""));
            });
        } finally {
            quickLinks.values().forEach(SentinelPeriod::close);
        }
        if (!ready.done()) {
            long waited = Math.round((System.nanoTime() - start) / 1e9);
            throw notReady("not ready after " + waited + " s: " + String.join("; ", last[0].notReady()),
                    culprit(last[0]).orElse(null));
        }
        conditions.ready();
        progress.step("ready: master " + ready.value().master() + ", " + expected.replicas() + " replicas, "
                + expected.sentinels() + " sentinels");
        return ready.value();
    }

    /**
     * A Sentinel tries to link to a node or another Sentinel at most once per ping period (a second):
     * one that tried a peer before the peer listened (Sentinels started a few hundred milliseconds apart)
     * links to it a second later, the last thing a new deployment waits for. A Sentinel that answers
     * while it lacks a link is told to try every 100 ms until the wait ends ({@link SentinelPeriod.Kind#PING}).
     * Sentinels that were not told of one another (Swarm) find each other by the hello each sends every
     * 2 s: while one is missing a peer, every Sentinel that answers says hello every 200 ms
     * ({@link SentinelPeriod.Kind#HELLO}). The periods are set back when the wait ends. Readiness is judged
     * exactly as before; only the Sentinels learn sooner.
     */
    private void quickenLinks(ClusterStatus status, Map<String, SentinelPeriod> quick) {
        boolean peersMissing = status.notReady().stream().anyMatch(ReadyWait::missesPeers);
        for (Node sentinel : observer.deployment().sentinels()) {
            Optional<SentinelStatus> seen = status.sentinels().stream()
                    .filter(s -> s.name().equals(sentinel.name())).findFirst();
            if (seen.isEmpty() || !answered(seen.get())) {
                continue;
            }
            if (lacksLink(status.notReady(), sentinel.name())) {
                shorten(quick, sentinel, SentinelPeriod.Kind.PING);
            }
            if (peersMissing) {
                shorten(quick, sentinel, SentinelPeriod.Kind.HELLO);
            }
        }
    }

    /** Shortens the period once per wait; a Sentinel not reached yet (null) is tried again at the next look. */
    private void shorten(Map<String, SentinelPeriod> quick, Node sentinel, SentinelPeriod.Kind kind) {
        quick.computeIfAbsent(sentinel.name() + " " + kind, k -> SentinelPeriod.shorten(kind, redis, sentinel, progress));
    }

    /** Whether the Sentinel runs and answered the last look (a paused or unreachable one is left alone). */
    static boolean answered(SentinelStatus sentinel) {
        return NodeState.RUNNING.label().equals(sentinel.state()) && sentinel.error() == null;
    }

    private static final Pattern PEERS =
            Pattern.compile(" knows \\d+ live of (\\d+) other sentinels, expected (\\d+)$");

    /** Whether a reason is a Sentinel that does not know of every other Sentinel yet (not: knows it, unlinked). */
    static boolean missesPeers(String reason) {
        Matcher m = PEERS.matcher(reason);
        return m.find() && Integer.parseInt(m.group(1)) < Integer.parseInt(m.group(2));
    }

    /** Whether the Sentinel answered and names fewer live replicas or other Sentinels than expected. */
    static boolean lacksLink(List<String> notReady, String sentinel) {
        return notReady.stream().anyMatch(reason -> reason.startsWith(sentinel + " knows ")
                && reason.contains(" live of "));
    }

    /**
     * Whether the node's process ended. Where the engine restarts nodes by itself, a node it is about
     * to start again has ended too (a node that exits at every start would otherwise only be waited
     * out); on a Swarm, restarting also means a task being scheduled, which is no failure.
     */
    private boolean exited(Node node) {
        return node.state() == NodeState.EXITED || node.state() == NodeState.DEAD
                || (node.state() == NodeState.RESTARTING && backend.selfRestart().isPresent());
    }

    /**
     * Resets the Sentinels that keep stale entries, when that is safe: a master is known, every
     * node runs and answers, no failover is in progress. Returns whether it reset any.
     */
    boolean resetStaleSentinels(ClusterStatus status, Expected expected, long deadline) {
        // a stopped or paused node is a fault, not a stale entry: its address is missing only for now
        String running = NodeState.RUNNING.label();
        boolean settled = status.nodes().stream().allMatch(n -> running.equals(n.state()) && !"unknown".equals(n.role()))
                && status.sentinels().stream().allMatch(s -> running.equals(s.state()));
        boolean failover = status.sentinels().stream().anyMatch(SentinelStatus::failoverRunning);
        List<String> stale = status.sentinels().stream().filter(s -> !s.stale().isEmpty()).map(SentinelStatus::name).toList();
        if (stale.isEmpty() || !settled || failover || status.master() == null) {
            return false;
        }
        resets.reset(expected, stale, deadline);
        return true;
    }

    /**
     * When each condition of readiness was first found holding (a debug line each), counted from the
     * start of the wait: which one held last is what the wait was for. A condition is a reason for not
     * being ready with its figures left out ("sentinel-2 knows N live of N other sentinels").
     */
    private static final class Conditions {
        private final long start;
        private final Map<String, Long> open = new LinkedHashMap<>();
        private int looks;
        private String last;
        private long lastHeld;

        Conditions(long start) {
            this.start = start;
        }

        void look(List<String> notReady) {
            if (!log.isDebugEnabled()) {
                return;
            }
            looks++;
            long now = millis();
            Map<String, String> current = new LinkedHashMap<>();
            notReady.forEach(reason -> current.put(condition(reason), reason));
            open.entrySet().removeIf(e -> {
                if (current.containsKey(e.getKey())) {
                    return false;
                }
                log.debug("readiness: holds at +{} ms (not yet at +{} ms): {}", now, e.getValue(), e.getKey());
                last = e.getKey();
                lastHeld = now;
                return true;
            });
            current.keySet().forEach(c -> open.putIfAbsent(c, now));
        }

        void ready() {
            if (log.isDebugEnabled()) {
                log.debug("readiness: ready at +{} ms after {} looks; {}", millis(), looks,
                        last == null ? "ready at the first look" : "the last to hold (at +" + lastHeld + " ms): " + last);
            }
        }

        private long millis() {
            return (System.nanoTime() - start) / 1_000_000;
        }

        static String condition(String reason) {
            return reason.replaceAll("(?<= )\\d+(?=[ ,)]|$)", "N");
        }
    }

    /** A NotReadyException with the last log lines of the node at fault. */
    NotReadyException notReady(String message, Node culprit) {
        List<String> logs = new ArrayList<>();
        if (culprit != null) {
            for (String line : backend.logs(culprit, 20)) {
                logs.add(culprit.name() + " | " + line);
            }
        }
        return new NotReadyException(message, logs);
    }

    /** The node named first among the reasons, whose logs explain most. */
    private Optional<Node> culprit(ClusterStatus status) {
        for (String reason : status.notReady()) {
            for (Node n : observer.deployment().nodes()) {
                if (reason.startsWith(n.name() + " ")) {
                    return Optional.of(n);
                }
            }
        }
        return Optional.empty();
    }
}
