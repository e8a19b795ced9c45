package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.sentinel.RedisNodes;
import io.redisha.sentinel.ReplicationInfo;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Brings the settings of a ready deployment to the topology: run-time settings in place, then the
 * nodes that need a new container one at a time, a writable master kept throughout (replicas first,
 * a {@link Switchover} onto a replaced replica, the old master, then the Sentinels). Each step is
 * worked out again from what runs, so a run interrupted anywhere is finished by the next.
 */
final class Roll {
    private final Backend backend;
    private final Observer observer;
    private final RedisNodes redis;
    private final NodeSettings settings;
    private final RuntimeSettings runtime;
    private final SentinelResets resets;
    private final ReadyWait readyWait;
    private final Switchover switchover;
    private final BiConsumer<Expected.Slot, Node> create;
    private final Progress progress;
    private final int failoverTimeoutMillis;

    /** @param create creates a node in a slot, following the given master */
    Roll(Backend backend, Observer observer, RedisNodes redis, NodeSettings settings, SentinelResets resets,
         ReadyWait readyWait, BiConsumer<Expected.Slot, Node> create, Progress progress, int failoverTimeoutMillis) {
        this.backend = backend;
        this.observer = observer;
        this.redis = redis;
        this.settings = settings;
        this.runtime = new RuntimeSettings(redis, settings);
        this.resets = resets;
        this.readyWait = readyWait;
        this.create = create;
        this.progress = progress;
        this.failoverTimeoutMillis = failoverTimeoutMillis;
        this.switchover = new Switchover(redis, runtime, settings, progress);
    }

    RuntimeSettings runtime() {
        return runtime;
    }

    /**
     * Applies the run-time settings, then replaces what needs a new container.
     *
     * @param stepTimeout how long each wait (a node synced, the deployment ready again) may take
     * @return whether anything was changed
     */
    boolean converge(Expected expected, Duration stepTimeout) {
        boolean changed = applyInPlace(observer.refresh().nodes());
        Set<String> done = new HashSet<>();
        while (true) {
            long deadline = Await.deadline(stepTimeout);
            Node master = resets.awaitQuiet(expected, deadline);
            Deployment d = observer.deployment();
            Optional<Node> replica = outdated(d).filter(n -> n.service().isRedis() && !n.id().equals(master.id()))
                    .findFirst();
            if (replica.isPresent()) {
                once(done, "replace " + replica.get().name());
                replaceReplica(replica.get(), master, expected, deadline);
            } else if (!settings.differences(master).isEmpty()) {
                once(done, "switch over from " + master.name());
                switchOver(d, master, expected, deadline);
            } else {
                Optional<Node> sentinel = outdated(d).filter(n -> n.service() == Service.SENTINEL).findFirst();
                if (sentinel.isEmpty()) {
                    return changed;
                }
                once(done, "replace " + sentinel.get().name());
                replace(sentinel.get(), master);
                readyWait.await(expected, Await.deadline(stepTimeout));
            }
            changed = true;
        }
    }

    /** A step the roll already took comes back only when the backend did not record the new settings. */
    private static void once(Set<String> done, String step) {
        if (!done.add(step)) {
            throw new NotReadyException("cannot " + step + " again: its settings still differ from the topology after it was"
                    + " done once");
        }
    }

    private java.util.stream.Stream<Node> outdated(Deployment d) {
        return d.nodes().stream().filter(n -> !settings.differences(n).isEmpty());
    }

    /** Changes the run-time settings that differ, node by node; returns whether any did. */
    boolean applyInPlace(List<Node> nodes) {
        List<Node> current = nodes.stream().filter(n -> settings.differences(n).isEmpty()).toList();
        Map<Node, List<RuntimeSettings.Change>> changes = runtime.differences(current).stream()
                .collect(Collectors.groupingBy(RuntimeSettings.Change::node, LinkedHashMap::new, Collectors.toList()));
        changes.forEach((node, list) -> {
            progress.step("change " + node.name() + ": "
                    + list.stream().map(RuntimeSettings.Change::describe).collect(Collectors.joining(", ")));
            try {
                runtime.apply(node, list);
            } catch (JedisException e) {
                throw new NotReadyException("cannot change " + list.stream().map(RuntimeSettings.Change::setting)
                        .collect(Collectors.joining(", ")) + " on " + node.name() + ": " + e.getMessage());
            }
        });
        return !changes.isEmpty();
    }

    private void replace(Node node, Node master) {
        progress.step("replace " + node.name() + ": " + String.join(", ", settings.differences(node)));
        backend.remove(node);
        observer.refresh();
        create.accept(new Expected.Slot(node.service(), node.index()), master);
    }

    private void replaceReplica(Node replica, Node master, Expected expected, long deadline) {
        replace(replica, master);
        Node fresh = observer.refresh().find(replica).orElseThrow(
                () -> new NotReadyException(replica.name() + " is gone right after it was created"));
        awaitSynced(fresh, master, deadline);
        readyWait.await(expected, deadline);
    }

    /** Waits until a replica's link to the master is up and it has what the master had when asked. */
    private void awaitSynced(Node replica, Node master, long deadline) {
        Poll<Long> synced = Await.reporting(gap -> progress.step("waiting: " + gap)).until(deadline, () -> {
            try {
                long masterOffset = redis.replication(master.nameAddress()).offset();
                ReplicationInfo r = redis.replication(replica.nameAddress());
                return r.linkUp() && r.offset() >= masterOffset ? Poll.done(r.offset())
                        : Poll.waiting(replica.name() + " " + (r.linkUp() ? "at offset " + r.offset() + " of " + masterOffset
                        : "link " + r.masterLinkStatus()));
            } catch (JedisException e) {
                return Poll.waiting(replica.name() + " cannot be asked: " + e.getMessage());
            }
        });
        if (!synced.done()) {
            throw readyWait.notReady(replica.name() + " did not sync with " + master.name() + ": " + synced.missing(), replica);
        }
        progress.step(replica.name() + " synced with " + master.name() + " (offset " + synced.value() + ")");
    }

    /** Moves the master role to an up-to-date replica, then lets the loop replace the old master as a replica. */
    private void switchOver(Deployment d, Node master, Expected expected, long deadline) {
        List<Node> replicas = d.redisNodes().stream().filter(n -> !n.id().equals(master.id()) && n.isRunning()).toList();
        Node target = replicas.stream()
                .filter(n -> settings.replicaPriority(n.service(), n.index()) > 0)
                .min(Comparator.comparingInt((Node n) -> settings.replicaPriority(n.service(), n.index()))
                        .thenComparing(Node::name))
                .orElseThrow(() -> new ChangeRefusedException("no replica to switch over to: " + master.name()
                        + " is the master and no replica may be promoted"));
        List<Node> others = replicas.stream().filter(n -> !n.id().equals(target.id())).toList();
        List<Node> sentinels = d.sentinels().stream().filter(Node::isRunning).toList();
        switchover.run(master, target, others, sentinels, failoverTimeoutMillis, deadline);
        observer.refresh();
    }
}
