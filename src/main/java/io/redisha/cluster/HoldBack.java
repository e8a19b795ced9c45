package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.sentinel.ReplicationInfo;
import io.redisha.topology.Persistence;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Keeps a stopped master without an append-only file from starting before Sentinel has promoted a
 * replica: started at once it would come back with an empty data set (or, with RDB, an old one),
 * and its replicas would copy it, the Redis documentation's warning. Once Sentinel has promoted a
 * running replica, the held nodes start with a configuration that follows it.
 */
final class HoldBack {
    private final Backend backend;
    private final Observer observer;
    private final NodeFactory factory;
    private final Workers workers;
    private final Progress progress;
    private final Persistence persistence;

    HoldBack(Backend backend, Observer observer, NodeFactory factory, Workers workers, Progress progress,
             Persistence persistence) {
        this.backend = backend;
        this.observer = observer;
        this.factory = factory;
        this.workers = workers;
        this.progress = progress;
        this.persistence = persistence;
    }

    /**
     * The stopped Redis servers that must not start before Sentinel has promoted a replica: when no
     * running server reports role:master but a replica runs, the master is among the stopped ones.
     * Empty when starting them at once is safe.
     *
     * @param running what the running Redis servers report, asked only when something is stopped
     */
    static List<Node> held(Deployment d, Persistence persistence,
                           java.util.function.Supplier<Collection<ReplicationInfo>> running) {
        List<Node> stopped = d.redisNodes().stream().filter(n -> n.state() == NodeState.EXITED).toList();
        if (stopped.isEmpty() || restartHazard(persistence) == null) {
            return List.of();
        }
        Collection<ReplicationInfo> answers = running.get();
        boolean masterRuns = answers.stream().anyMatch(ReplicationInfo::isMaster);
        boolean replicaRuns = answers.stream().anyMatch(i -> !i.isMaster());
        return replicaRuns && !masterRuns ? stopped : List.of();
    }

    /**
     * Why a stopped master must not start again before Sentinel has promoted a replica; null when it
     * may (its append-only file has everything but the last second).
     */
    static String restartHazard(Persistence persistence) {
        return switch (persistence) {
            case AOF -> null;
            case OFF -> "with persistence: off it would come back with an empty data set, which its replicas would copy";
            case RDB -> "with persistence: rdb it would come back with its last snapshot, which its replicas would copy";
        };
    }

    /** Waits until the Sentinels name a running server that reports role:master, then starts the held ones as its replicas. */
    void startAfterPromotion(List<Node> held, Expected expected, long deadline) {
        Set<String> names = held.stream().map(Node::name).collect(Collectors.toCollection(TreeSet::new));
        String why = "the master is among them and " + restartHazard(persistence);
        progress.step("not starting " + String.join(", ", names) + " yet (" + why + "); waiting for Sentinel to"
                + " promote a running replica");
        Poll<String> promoted = Await.quietly().until(deadline, () -> {
            ClusterStatus status = observer.status(expected);
            String master = status.master();
            boolean done = master != null && !names.contains(master)
                    && status.nodes().stream().anyMatch(n -> n.name().equals(master) && "master".equals(n.role()))
                    && status.sentinels().stream().anyMatch(s -> master.equals(s.master()));
            return done ? Poll.done(master) : Poll.waiting(String.join("; ", status.notReady()));
        });
        if (!promoted.done()) {
            throw new NotReadyException("did not start " + String.join(", ", names) + ": " + why
                    + "; Sentinel did not promote a running replica in time (" + promoted.missing() + "). Repair what"
                    + " keeps Sentinel from failing over (redisha status), or start the container by hand if losing"
                    + " that data is intended");
        }
        progress.step("Sentinel promoted " + promoted.value() + "; starting " + String.join(", ", names)
                + " as its replicas");
        // the status has just read the nodes
        startAsReplicas(held, observer.deployment().named(promoted.value()).orElseThrow());
    }

    /**
     * Starts stopped Redis servers with a configuration that follows the given master, put into
     * them first: they come up as its replicas at once, with no moment as a master, and whether
     * or not a Sentinel still knows their address to convert them.
     */
    private void startAsReplicas(List<Node> stopped, Node master) {
        String masterHost = NodeFactory.masterHost(master, backend);
        workers.runAll(stopped.stream().<Runnable>map(
                n -> () -> backend.startWith(n, factory.redis(n.service(), n.index(), masterHost, n.networkIp()).files())).toList());
    }
}
