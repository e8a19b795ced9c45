package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.Service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Removes the nodes beyond the topology's counts the way the Sentinel documentation prescribes:
 * once no failover is in progress, stop and remove them (the highest-numbered Sentinels; Redis
 * servers by actual role, never the current master), then reset the surviving Sentinels one at a
 * time. Used by {@code scale} and by {@code up} when the file asks for fewer nodes than run.
 */
final class Shrink {
    private final Backend backend;
    private final Observer observer;
    private final Workers workers;
    private final SentinelResets resets;
    private final Progress progress;

    Shrink(Backend backend, Observer observer, Workers workers, SentinelResets resets, Progress progress) {
        this.backend = backend;
        this.observer = observer;
        this.workers = workers;
        this.resets = resets;
        this.progress = progress;
    }

    /** Does nothing when nothing is beyond the counts. */
    void removeExtras(Expected expected, long deadline) {
        if (!expected.hasExtras(observer.refresh())) {
            return;
        }
        Node master = resets.awaitQuiet(expected, deadline);
        Deployment d = observer.deployment();
        List<Node> victims = victims(d, master, expected);
        workers.runAll(victims.stream().<Runnable>map(n -> () -> {
            progress.step("stopping " + n.name());
            backend.stop(n);
            progress.step("removing " + n.name());
            backend.remove(n);
        }).toList());
        // like down, a removal keeps data volumes; down --volumes removes them
        List<String> volumes = backend.volumes();
        victims.stream().map(n -> Naming.dataVolume(n.name())).filter(volumes::contains)
                .forEach(v -> progress.step("kept data volume " + v + " (redisha down --volumes removes it)"));
        resets.resetAll(expected, deadline);
    }

    /** The nodes to remove, given the current master: the extra Redis servers, then the extra Sentinels. */
    static List<Node> victims(Deployment d, Node master, Expected expected) {
        List<Node> victims = new ArrayList<>(redisVictims(d, master, expected.extraRedisServers(d)));
        victims.addAll(expected.extraSentinels(d));
        return victims;
    }

    /**
     * The Redis servers to remove: never the current master; nodes of the replica service first,
     * highest-numbered first; master-1 (the master service's node) only when nothing else is left.
     */
    static List<Node> redisVictims(Deployment d, Node master, int count) {
        Comparator<Node> order = Comparator
                .comparing((Node n) -> n.service() == Service.MASTER)
                .thenComparing(Comparator.comparingInt(Node::index).reversed());
        return d.redisNodes().stream()
                .filter(n -> !n.id().equals(master.id()))
                .sorted(order)
                .limit(count)
                .toList();
    }
}
