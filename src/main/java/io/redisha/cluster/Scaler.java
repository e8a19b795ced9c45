package io.redisha.cluster;

import io.redisha.docker.NodeContainer;
import io.redisha.docker.Service;
import io.redisha.sentinel.RedisNodes;
import io.redisha.sentinel.ReplicationInfo;
import io.redisha.sentinel.SentinelView;
import io.redisha.topology.Problem;
import io.redisha.topology.Topology;
import io.redisha.topology.TopologyLoader;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Changes the number of replicas and Sentinels of a deployment, both ways.
 *
 * <p>Growing creates the missing nodes as {@code up} does. Shrinking follows the Sentinel
 * documentation, because Sentinels never forget a Sentinel or replica they have seen: wait until
 * no failover is in progress, stop and remove the nodes beyond the counts (the highest-numbered
 * Sentinels; replicas picked by actual role, never the current master), then {@code SENTINEL RESET}
 * each surviving Sentinel one at a time, each time waiting until it has rediscovered exactly the
 * surviving Sentinels and replicas. Then it waits until the deployment is ready.
 */
public final class Scaler {
    private static final Duration POLL = Duration.ofMillis(250);

    private final Cluster cluster;
    private final RedisNodes redis;
    private final Progress progress;

    /** @param cluster the orchestrator of the topology to scale to */
    public Scaler(Cluster cluster) {
        this.cluster = cluster;
        this.redis = cluster.redis();
        this.progress = cluster.progress();
    }

    /** A request refused before anything was changed; the message says why in one line. */
    public static final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    // ---- refusals: nothing is touched -------------------------------------------------------

    /**
     * The topology with the requested counts (null keeps a count). Refuses negative counts, zero
     * Sentinels, fewer Sentinels than the quorum, and counts the rest of the topology does not allow
     * (such as fewer Sentinels than fixed host ports).
     */
    public static Topology target(Topology current, Integer replicas, Integer sentinels) {
        List<String> reasons = new ArrayList<>();
        if (replicas != null && replicas < 0) {
            reasons.add("replica=" + replicas + ": a count cannot be negative");
        }
        int quorum = current.sentinels().quorum();
        if (sentinels != null && sentinels < 0) {
            reasons.add("sentinel=" + sentinels + ": a count cannot be negative");
        } else if (sentinels != null && sentinels == 0) {
            reasons.add("sentinel=0: without Sentinels nothing would notice a failed master or promote a replica");
        } else if (sentinels != null && sentinels < quorum) {
            reasons.add("sentinel=" + sentinels + " is below the quorum of " + quorum + " (sentinels.quorum): the "
                    + "Sentinels could never agree that the master is down; lower sentinels.quorum first");
        }
        if (!reasons.isEmpty()) {
            throw new RefusedException(String.join("; ", reasons));
        }
        Topology target = current;
        if (replicas != null) {
            target = target.withReplicaCount(replicas);
        }
        if (sentinels != null) {
            target = target.withSentinelCount(sentinels);
        }
        List<Problem> problems = TopologyLoader.validate(target);
        if (!problems.isEmpty()) {
            throw new RefusedException("the topology does not allow these counts: "
                    + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        }
        return target;
    }

    /**
     * Refuses when nothing of the project is deployed, and when nodes would be removed from a
     * deployment that is not ready as {@code current} describes it. Growing may proceed on a
     * deployment that is not ready, once the fixed host ports of the new nodes are known to be free.
     *
     * @throws PreflightException when a fixed host port of a node to create is taken
     */
    public void checkPreconditions(Topology current) {
        Deployment d = cluster.refresh();
        if (d.nodes().isEmpty()) {
            throw new RefusedException("project " + current.project() + " is not deployed on "
                    + cluster.engine().host() + " (run redisha up)");
        }
        Expected target = Expected.of(cluster.topology());
        PortPreflight.check(cluster.topology(), target.missing(d));
        if (!target.hasExtras(d)) {
            return;
        }
        ClusterStatus status = cluster.status(Expected.of(current));
        if (!status.ready()) {
            throw new RefusedException("will not remove nodes while the deployment is not ready: "
                    + String.join("; ", status.notReady()) + " (redisha up repairs it)");
        }
    }

    // ---- converging ------------------------------------------------------------------------

    /** Creates what is missing, removes what is beyond the counts, and waits until the deployment is ready. */
    public ClusterStatus scale(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Expected expected = Expected.of(cluster.topology());
        Deployment d = cluster.refresh();
        progress.step("scaling " + d.project() + ": replicas " + (d.redisNodes().size() - 1) + " -> "
                + expected.replicas() + ", sentinels " + d.sentinels().size() + " -> " + expected.sentinels());
        List<Expected.Slot> missing = expected.missing(d);
        if (!missing.isEmpty()) {
            String image = Naming.sentinelImage(d.project());
            if (missing.stream().anyMatch(s -> s.service() == Service.SENTINEL) && !cluster.engine().imageExists(image)) {
                cluster.buildSentinelImage();
            }
            String masterName = cluster.status(expected).master();
            NodeContainer master = d.nodes().stream().filter(n -> n.name().equals(masterName)).findFirst().orElse(null);
            cluster.createMissing(missing, master);
        }
        removeExtras(expected, remaining(deadline));
        return cluster.waitReady(expected, remaining(deadline));
    }

    /**
     * Removes the nodes beyond the counts and makes the surviving Sentinels forget them; does
     * nothing when there are none. Never removes the current master and never resets a Sentinel
     * while a failover is in progress.
     */
    public void removeExtras(Expected expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!expected.hasExtras(cluster.refresh())) {
            return;
        }
        NodeContainer master = awaitQuiet(expected, deadline);
        Deployment d = cluster.deployment();
        List<NodeContainer> victims = new ArrayList<>(redisVictims(d, master, expected.extraRedisServers(d)));
        victims.addAll(expected.extraSentinels(d));
        cluster.runAll(victims.stream().<Supplier<Object>>map(n -> () -> {
            progress.step("stopping " + n.name());
            cluster.engine().stop(n.id());
            progress.step("removing " + n.name());
            cluster.engine().remove(n.id());
            return null;
        }).toList());
        // like down, a removal keeps data volumes; down --volumes removes them
        List<String> volumes = cluster.engine().listVolumes(d.project());
        victims.stream().map(n -> Naming.dataVolume(n.name())).filter(volumes::contains)
                .forEach(v -> progress.step("kept data volume " + v + " (redisha down --volumes removes it)"));
        resetSentinels(expected, deadline);
    }

    /**
     * The Redis servers to remove: never the current master; containers of the replica service
     * first, highest-numbered first; master-1 (the master service's container) only when nothing
     * else is left to remove.
     */
    static List<NodeContainer> redisVictims(Deployment d, NodeContainer master, int count) {
        Comparator<NodeContainer> order = Comparator
                .comparing((NodeContainer n) -> n.service() == Service.MASTER)
                .thenComparing(Comparator.comparingInt(NodeContainer::index).reversed());
        return d.redisNodes().stream()
                .filter(n -> !n.id().equals(master.id()))
                .sorted(order)
                .limit(count)
                .toList();
    }

    /** SENTINEL RESET on each running Sentinel, one at a time, each time waiting until it knows the survivors again. */
    private void resetSentinels(Expected expected, long deadline) {
        resetSentinels(expected, cluster.refresh().sentinels().stream().filter(NodeContainer::isRunning)
                .map(NodeContainer::name).toList(), deadline);
    }

    /**
     * SENTINEL RESET on the named Sentinels, one at a time (the Sentinel documentation's procedure):
     * each only while no failover is in progress, each followed by a wait until it knows exactly the
     * running Sentinels and replicas again, so that the majority is never lost.
     */
    public void resetSentinels(Expected expected, List<String> names, long deadline) {
        List<NodeContainer> running = cluster.refresh().sentinels().stream().filter(NodeContainer::isRunning).toList();
        List<NodeContainer> sentinels = running.stream().filter(s -> names.contains(s.name())).toList();
        for (int i = 0; i < sentinels.size(); i++) {
            NodeContainer master = awaitQuiet(expected, deadline);
            Deployment d = cluster.deployment();
            NodeContainer sentinel = sentinels.get(i);
            progress.step("SENTINEL RESET " + redis.masterName() + " on " + sentinel.name() + " (" + (i + 1) + "/"
                    + sentinels.size() + ")");
            reset(sentinel, expected, deadline);
            Set<String> others = ids(running.stream().filter(s -> !s.id().equals(sentinel.id())).toList());
            Set<String> replicas = ids(d.redisNodes().stream().filter(n -> !n.id().equals(master.id())).toList());
            awaitRediscovery(sentinel, master, others, replicas, expected, deadline);
        }
    }

    private void reset(NodeContainer sentinel, Expected expected, long deadline) {
        while (true) {
            try (Jedis jedis = redis.sentinel(Deployment.networkAddress(sentinel))) {
                long reset = jedis.sentinelReset(redis.masterName());
                if (reset != 1) {
                    throw notReady(sentinel.name() + " does not monitor " + redis.masterName(), expected);
                }
                return;
            } catch (JedisException e) {
                if (System.nanoTime() > deadline) {
                    throw notReady("SENTINEL RESET on " + sentinel.name() + " failed: " + e.getMessage(), expected);
                }
                progress.step("retrying SENTINEL RESET on " + sentinel.name() + ": " + e.getMessage());
                Cluster.sleep(POLL);
            }
        }
    }

    private void awaitRediscovery(NodeContainer sentinel, NodeContainer master, Set<String> others,
                                  Set<String> replicas, Expected expected, long deadline) {
        String lastReported = null;
        while (true) {
            SentinelView view = redis.sentinelView(Deployment.networkAddress(sentinel));
            String gap = rediscoveryGap(cluster.deployment(), view, master, others, replicas);
            if (gap == null) {
                progress.step(sentinel.name() + " knows " + plural(others.size(), "other sentinel") + " and "
                        + plural(replicas.size(), "replica") + " again");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw notReady(sentinel.name() + " did not rediscover the deployment after SENTINEL RESET: " + gap,
                        expected);
            }
            if (!gap.equals(lastReported)) {
                progress.step("waiting: " + sentinel.name() + " " + gap);
                lastReported = gap;
            }
            Cluster.sleep(POLL);
        }
    }

    /**
     * What keeps a Sentinel from knowing exactly the given master, other Sentinels and replicas (by
     * container id), none of them flagged down; null when it knows exactly them.
     */
    static String rediscoveryGap(Deployment d, SentinelView view, NodeContainer master, Set<String> others,
                                 Set<String> replicas) {
        if (!view.reachable()) {
            return "cannot be asked: " + view.error();
        }
        Optional<NodeContainer> named = d.byAddress(view.masterAddress());
        if (named.isEmpty() || !named.get().id().equals(master.id())) {
            return "names " + named.map(NodeContainer::name).orElse(view.masterAddress()) + " as master, not "
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
            Optional<NodeContainer> node = d.byAddress(instance.address());
            if (node.isPresent() && wanted.contains(node.get().id()) && !instance.isDown()) {
                live.add(node.get().id());
            } else {
                stale.add(node.map(NodeContainer::name).orElse(instance.address())
                        + (instance.isDown() ? " (down)" : ""));
            }
        }
        if (live.equals(wanted) && stale.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("knows " + live.size() + " of " + wanted.size() + " " + what
                + (stale.isEmpty() ? "" : ", and also " + String.join(", ", stale)));
    }

    /**
     * Waits until every Sentinel that answers names the same master, which reports role:master, and
     * none reports the master down or a failover in progress; returns that master.
     */
    private NodeContainer awaitQuiet(Expected expected, long deadline) {
        String lastReported = null;
        while (true) {
            Deployment d = cluster.refresh();
            Set<String> named = new TreeSet<>();
            String reason = null;
            for (NodeContainer s : d.sentinels()) {
                if (!s.isRunning()) {
                    continue;
                }
                SentinelView view = redis.sentinelView(Deployment.networkAddress(s));
                if (!view.reachable()) {
                    continue;
                }
                String flags = Objects.requireNonNullElse(view.masterFlags(), "");
                if (view.failoverRunning() || flags.contains("o_down") || flags.contains("s_down")) {
                    reason = s.name() + " reports the master as " + flags + " (a failover may be in progress)";
                    break;
                }
                named.add(view.masterAddress());
            }
            NodeContainer master = null;
            if (reason == null) {
                if (named.isEmpty()) {
                    reason = "no Sentinel answers";
                } else if (named.size() > 1) {
                    reason = "the Sentinels name different masters: " + named.stream()
                            .map(a -> d.byAddress(a).map(NodeContainer::name).orElse(a)).toList();
                } else {
                    master = d.byAddress(named.iterator().next()).orElse(null);
                    reason = master == null ? "the Sentinels name " + named.iterator().next()
                            + " as master, none of this project's nodes" : masterProblem(master);
                }
            }
            if (reason == null) {
                return master;
            }
            if (System.nanoTime() > deadline) {
                throw notReady("cannot change the Sentinels safely: " + reason, expected);
            }
            if (!reason.equals(lastReported)) {
                progress.step("waiting before changing the Sentinels: " + reason);
                lastReported = reason;
            }
            Cluster.sleep(POLL);
        }
    }

    private String masterProblem(NodeContainer master) {
        try {
            ReplicationInfo info = redis.replication(Deployment.networkAddress(master));
            return info.isMaster() ? null : master.name() + " is named master by the Sentinels but reports role:" + info.role();
        } catch (JedisException e) {
            return master.name() + " cannot be asked: " + e.getMessage();
        }
    }

    private NotReadyException notReady(String message, Expected expected) {
        return new NotReadyException(message, cluster.status(expected), List.of());
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static Set<String> ids(List<NodeContainer> nodes) {
        return nodes.stream().map(NodeContainer::id).collect(Collectors.toSet());
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
