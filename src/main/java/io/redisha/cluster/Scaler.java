package io.redisha.cluster;

import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.topology.Problem;
import io.redisha.topology.Topology;
import io.redisha.topology.TopologyLoader;
import io.redisha.wait.Await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Changes the number of replicas and Sentinels of a deployment, both ways: growing creates the
 * missing nodes as {@code up} does; shrinking follows the Sentinel documentation ({@link Shrink}).
 * Then it waits until the deployment is ready.
 */
public final class Scaler {
    private final Cluster cluster;

    /** @param cluster the orchestrator of the topology to scale to */
    public Scaler(Cluster cluster) {
        this.cluster = cluster;
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
                    + cluster.backend().describe() + " (run redisha up)");
        }
        Expected target = Expected.of(cluster.topology());
        PortPreflight.check(cluster.backend(), cluster.topology(), target.missing(d));
        if (!target.hasExtras(d)) {
            return;
        }
        PortPreflight.placement(cluster.backend(), cluster.topology(), "nothing was changed");
        ClusterStatus status = cluster.status(Expected.of(current));
        if (!status.ready()) {
            throw new RefusedException("will not remove nodes while the deployment is not ready: "
                    + String.join("; ", status.notReady()) + " (redisha up repairs it)");
        }
    }

    // ---- converging ------------------------------------------------------------------------

    /** Creates what is missing, removes what is beyond the counts, and waits until the deployment is ready. */
    public ClusterStatus scale(Duration timeout) {
        long deadline = Await.deadline(timeout);
        Expected expected = Expected.of(cluster.topology());
        Deployment d = cluster.refresh();
        cluster.progress().step("scaling " + d.project() + ": replicas " + (d.redisNodes().size() - 1) + " -> "
                + expected.replicas() + ", sentinels " + d.sentinels().size() + " -> " + expected.sentinels());
        List<Expected.Slot> missing = expected.missing(d);
        if (!missing.isEmpty()) {
            cluster.requireExporterImage();
            if (missing.stream().anyMatch(s -> s.service() == Service.SENTINEL)
                    && !cluster.backend().imageExists(Naming.sentinelImage(d.project()))) {
                cluster.buildSentinelImage();
            }
            String masterName = cluster.status(expected).master();
            Node master = d.nodes().stream().filter(n -> n.name().equals(masterName)).findFirst().orElse(null);
            cluster.createMissing(missing, master);
        }
        cluster.removeExtras(expected, deadline);
        // each Sentinel learns a new replica from its next INFO of the master: in a second, not ten
        List<SentinelPeriod> everySecond = missing.stream().anyMatch(s -> s.service() == Service.REPLICA)
                ? cluster.refresh().sentinels().stream().filter(Node::isRunning)
                        .map(s -> SentinelPeriod.everySecond(cluster.redis(), s, cluster.progress())).toList()
                : List.of();
        try {
            return cluster.waitReady(expected, Await.remaining(deadline));
        } finally {
            everySecond.forEach(SentinelPeriod::close);
        }
    }
}
