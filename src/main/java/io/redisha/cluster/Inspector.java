package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.wait.Poll;
import io.redisha.sentinel.Probe;
import io.redisha.sentinel.ReplicationInfo;
import io.redisha.sentinel.SentinelView;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * Observes a deployment through Jedis (every node asked in parallel) and judges readiness:
 * every replica's link is up to the current master; every Sentinel names that master, knows
 * exactly the expected replicas and other Sentinels, and passes CKQUORUM.
 */
public final class Inspector {
    private final Probe probe;
    private final ExecutorService executor;

    Inspector(Probe probe, ExecutorService executor) {
        this.probe = probe;
        this.executor = executor;
    }

    /** What was asked of every running node; one entry per node, an error in place of an answer. */
    record Observation(Deployment deployment, Map<Node, ReplicationInfo> replication,
                       Map<Node, String> redisErrors, Map<Node, SentinelView> views) {
    }

    Observation observe(Deployment deployment) {
        Map<Node, CompletableFuture<Object>> pending = new LinkedHashMap<>();
        for (Node node : deployment.nodes()) {
            if (!node.isRunning() || node.dial() == null) {
                continue;
            }
            pending.put(node, CompletableFuture.supplyAsync(() -> ask(node), executor));
        }
        Map<Node, ReplicationInfo> replication = new HashMap<>();
        Map<Node, String> errors = new HashMap<>();
        Map<Node, SentinelView> views = new HashMap<>();
        pending.forEach((node, future) -> {
            Object answer = future.join();
            if (answer instanceof ReplicationInfo info) {
                replication.put(node, info);
            } else if (answer instanceof SentinelView view) {
                views.put(node, view);
            } else {
                errors.put(node, String.valueOf(answer));
            }
        });
        return new Observation(deployment, replication, errors, views);
    }

    private Object ask(Node node) {
        if (node.service() == Service.SENTINEL) {
            return probe.sentinelView(node.nameAddress());
        }
        try {
            return probe.replication(node.nameAddress());
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /**
     * Whether the Sentinels can be changed safely now: every Sentinel that answers names the same
     * master, none flags it down or reports a failover in progress, and that master reports
     * role:master. Done with that master, else waiting with the reason.
     */
    static Poll<Node> quietMaster(Observation o) {
        Deployment d = o.deployment();
        Set<String> named = new TreeSet<>();
        for (Node s : d.sentinels()) {
            SentinelView view = o.views().get(s);
            if (view == null || !view.reachable()) {
                continue;
            }
            String flags = Objects.requireNonNullElse(view.masterFlags(), "");
            if (view.failoverRunning() || flags.contains("o_down") || flags.contains("s_down")) {
                return Poll.waiting(s.name() + " reports the master as " + flags + " (a failover may be in progress)");
            }
            named.add(view.masterAddress());
        }
        if (named.isEmpty()) {
            return Poll.waiting("no Sentinel answers");
        }
        if (named.size() > 1) {
            return Poll.waiting("the Sentinels name different masters: " + named.stream().map(d::nameOf).toList());
        }
        Optional<Node> master = d.byAddress(named.iterator().next());
        if (master.isEmpty()) {
            return Poll.waiting("the Sentinels name " + named.iterator().next() + " as master, none of this project's nodes");
        }
        ReplicationInfo info = o.replication().get(master.get());
        if (info == null) {
            return Poll.waiting(master.get().name() + " cannot be asked: "
                    + Objects.requireNonNullElse(o.redisErrors().get(master.get()), "not running"));
        }
        return info.isMaster() ? Poll.done(master.get())
                : Poll.waiting(master.get().name() + " is named master by the Sentinels but reports role:" + info.role());
    }

    public ClusterStatus inspect(Deployment deployment, Expected expected) {
        return judge(observe(deployment), expected);
    }

    /** The current master: the one the Sentinels agree on, else the only Redis server that says it is master. */
    static Optional<Node> currentMaster(Observation o) {
        Map<Node, Long> votes = o.views().values().stream()
                .filter(SentinelView::reachable)
                .map(v -> o.deployment().byAddress(v.masterAddress()).orElse(null))
                .filter(Objects::nonNull)
                .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
        Optional<Node> voted = votes.entrySet().stream()
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        if (voted.isPresent()) {
            return voted;
        }
        List<Node> masters = o.replication().entrySet().stream()
                .filter(e -> e.getValue().isMaster()).map(Map.Entry::getKey).toList();
        return masters.size() == 1 ? Optional.of(masters.get(0)) : Optional.empty();
    }

    ClusterStatus judge(Observation o, Expected expected) {
        Deployment d = o.deployment();
        List<String> notReady = new ArrayList<>(expected.containerProblems(d));

        Node master = currentMaster(o).orElse(null);
        if (master == null) {
            notReady.add("no master: the Sentinels name none of this project's nodes and no single node reports role:master");
        }
        List<NodeStatus> nodes = new ArrayList<>();
        for (Node n : d.redisNodes()) {
            nodes.add(nodeStatus(o, n, master, notReady));
        }
        int expectedReplicas = expected.replicas();
        if (master != null) {
            ReplicationInfo info = o.replication().get(master);
            if (info != null && !info.isMaster()) {
                notReady.add(master.name() + " is named master by the Sentinels but reports role:" + info.role());
            }
        }

        // while a node is stopped or paused, that is the reason to report: the Sentinels' entries for
        // it look wrong only because the engine has no address for it now
        boolean allRunning = d.nodes().stream().allMatch(Node::isRunning);
        List<SentinelStatus> sentinels = new ArrayList<>();
        String agreed = null;
        boolean agree = true;
        for (Node s : d.sentinels()) {
            SentinelView view = o.views().get(s);
            SentinelStatus status = sentinelStatus(d, s, view);
            sentinels.add(status);
            if (view == null) {
                continue;
            }
            if (!view.reachable()) {
                notReady.add(s.name() + " cannot be asked: " + view.error());
                agree = false;
                continue;
            }
            if (agreed == null) {
                agreed = status.master();
            } else if (!agreed.equals(status.master())) {
                agree = false;
            }
            if (master != null && !master.name().equals(status.master())) {
                notReady.add(s.name() + " names " + status.master() + " as master, not " + master.name());
            }
            long upReplicas = view.knownReplicas().stream().filter(r -> !r.isDown()).count();
            if (upReplicas != expectedReplicas || view.knownReplicas().size() != expectedReplicas) {
                notReady.add(s.name() + " knows " + upReplicas + " live of " + view.knownReplicas().size()
                        + " replicas, expected " + expectedReplicas);
            } else if (master != null && allRunning) {
                wrongReplicas(d, master, view).ifPresent(problem -> notReady.add(s.name() + " " + problem));
            }
            if (!status.stale().isEmpty() && allRunning) {
                // a second entry for a server makes a failover led by this Sentinel tell the promoted
                // replica to replicate from itself: not ready until SENTINEL RESET cleared them
                notReady.add(s.name() + " keeps stale entries " + status.stale());
            }
            long upSentinels = view.otherSentinels().stream().filter(r -> !r.isDown()).count();
            int expectedOthers = expected.sentinels() - 1;
            if (upSentinels != expectedOthers || view.otherSentinels().size() != expectedOthers) {
                notReady.add(s.name() + " knows " + upSentinels + " live of " + view.otherSentinels().size()
                        + " other sentinels, expected " + expectedOthers);
            }
            if (view.failoverRunning()) {
                notReady.add(s.name() + " reports a failover in progress (" + view.masterFlags() + ")");
            }
            if (!view.quorumOk()) {
                notReady.add(s.name() + " CKQUORUM: " + view.quorumMessage());
            }
        }
        return new ClusterStatus(d.project(), d.network(), nodes, sentinels, master == null ? null : master.name(),
                agree, notReady.isEmpty(), List.copyOf(notReady));
    }

    /**
     * The right number of replicas is not enough: the Sentinel must list exactly the servers that
     * replicate now (the master among them, or a server missing, would be promoted or reconfigured
     * wrongly in the next failover).
     */
    static Optional<String> wrongReplicas(Deployment d, Node master, SentinelView view) {
        Set<String> listed = view.knownReplicas().stream().map(SentinelView.Instance::address)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> actual = d.redisNodes().stream().filter(n -> n.isRunning() && !n.id().equals(master.id()))
                .map(Node::networkAddress).filter(Objects::nonNull)
                .collect(Collectors.toCollection(TreeSet::new));
        if (listed.equals(actual)) {
            return Optional.empty();
        }
        Set<String> extra = new TreeSet<>(listed);
        extra.removeAll(actual);
        Set<String> missing = new TreeSet<>(actual);
        missing.removeAll(listed);
        List<String> parts = new ArrayList<>();
        if (!extra.isEmpty()) {
            parts.add("lists " + extra.stream().map(a -> nameOf(d, a)).toList() + " as replicas");
        }
        if (!missing.isEmpty()) {
            parts.add("does not list " + missing.stream().map(a -> nameOf(d, a)).toList());
        }
        return Optional.of(String.join(" and ", parts));
    }

    private static NodeStatus nodeStatus(Observation o, Node n, Node master, List<String> notReady) {
        ReplicationInfo info = o.replication().get(n);
        String error = o.redisErrors().get(n);
        String role = info == null ? "unknown" : info.role();
        String replicaOf = null;
        String link = null;
        Long lag = null;
        if (info != null && !info.isMaster()) {
            replicaOf = o.deployment().byAddress(info.masterHost(), info.masterPort()).map(Node::name)
                    .orElse(info.masterHost() == null ? null : info.masterHost() + ":" + info.masterPort());
            link = info.masterLinkStatus();
            lag = lagSeen(o, n);
        }
        if (n.isRunning()) {
            if (info == null) {
                notReady.add(n.name() + " cannot be asked: " + error);
            } else if (master != null && n != master) {
                if (info.isMaster()) {
                    notReady.add(n.name() + " reports role:master but " + master.name() + " is the master");
                } else if (!master.name().equals(replicaOf)) {
                    notReady.add(n.name() + " replicates from " + replicaOf + ", not " + master.name());
                } else if (!info.linkUp()) {
                    notReady.add(n.name() + " replication link to " + master.name() + " is " + link);
                }
            }
        }
        return new NodeStatus(n.service().label(), n.index(), n.name(), n.state().label(), role, n.networkAddress(),
                hostAddress(n), replicaOf, link, lag, error);
    }

    /** The lag the replica's master reports for it (seconds since its last ack). */
    private static Long lagSeen(Observation o, Node replica) {
        for (Map.Entry<Node, ReplicationInfo> e : o.replication().entrySet()) {
            for (ReplicationInfo.Peer peer : e.getValue().replicas()) {
                if (replica.networkIp() != null && replica.networkIp().equals(peer.ip())) {
                    return peer.lag();
                }
            }
        }
        return null;
    }

    private static SentinelStatus sentinelStatus(Deployment d, Node s, SentinelView view) {
        if (view == null || !view.reachable()) {
            String error = view == null ? (s.isRunning() ? "not published" : null) : view.error();
            return new SentinelStatus(s.name(), s.index(), s.state().label(), s.networkAddress(), hostAddress(s),
                    null, List.of(), List.of(), false, null, List.of(), false, error);
        }
        List<String> stale = staleEntries(d, s, view);
        return new SentinelStatus(s.name(), s.index(), s.state().label(), s.networkAddress(), hostAddress(s),
                nameOf(d, view.masterAddress()), names(d, view.knownReplicas()), names(d, view.otherSentinels()),
                view.quorumOk(), view.quorumMessage(), List.copyOf(stale), view.failoverRunning(), null);
    }

    /**
     * Entries a Sentinel keeps that do not stand for a node of the project as it is now: an address no
     * node answers to (removed, or recreated with another IP), a replica listed under a name other than
     * its address (the old master recorded as ":6379" when its DNS name did not resolve during a
     * fault), an address listed twice, or the Sentinel listing itself. Only SENTINEL RESET clears them.
     */
    static List<String> staleEntries(Deployment d, Node self, SentinelView view) {
        List<String> stale = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SentinelView.Instance i : view.knownReplicas()) {
            boolean known = d.byAddress(i.address()).filter(n -> n.service().isRedis()).isPresent();
            if (!known || (i.name() != null && !i.name().equals(i.address()))) {
                stale.add(i.name() == null ? i.address() : i.name());
            } else if (!seen.add(i.address())) {
                stale.add(i.address() + " (twice)");
            }
        }
        for (SentinelView.Instance i : view.otherSentinels()) {
            Optional<Node> node = d.byAddress(i.address()).filter(n -> n.service() == Service.SENTINEL);
            if (node.isEmpty()) {
                stale.add(i.address());
            } else if (node.get().id().equals(self.id())) {
                stale.add(i.address() + " (itself)");
            } else if (!seen.add(i.address())) {
                stale.add(i.address() + " (twice)");
            }
        }
        return List.copyOf(stale);
    }

    private static List<String> names(Deployment d, List<SentinelView.Instance> instances) {
        return instances.stream().map(i -> nameOf(d, i.address()) + (i.isDown() ? " (down)" : "")).toList();
    }

    private static String nameOf(Deployment d, String address) {
        return d.nameOf(address);
    }

    /** The published address this process dials; on a multi-host backend prefixed by the node's host. */
    private static String hostAddress(Node n) {
        String dial = n.dial() == null ? null : n.dial().toString();
        if (n.host() == null) {
            return dial;
        }
        return dial == null ? n.host() : n.host() + " " + dial;
    }
}
