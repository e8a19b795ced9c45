package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.topology.Topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Works out the {@link Plan} from what runs now (no side effect, so {@code up --dry-run} and a unit
 * test can call it), and whether its replacements can be done while a master stays writable.
 */
final class Planner {
    private final Topology topology;
    private final NodeSettings settings;

    Planner(Topology topology, NodeSettings settings) {
        this.topology = topology;
        this.settings = settings;
    }

    /**
     * @param master  the current master, or null when there is none (nothing deployed)
     * @param changes the run-time settings that differ on running nodes
     * @param running the servers the running Redis nodes report (INFO server), for the refusals
     * @param target  the server of the topology's image
     */
    Plan plan(Deployment d, Node master, List<RuntimeSettings.Change> changes, List<ServerImage> running,
              ServerImage target) {
        Expected expected = Expected.of(topology);
        List<Plan.Step> steps = new ArrayList<>();
        List<Expected.Slot> missing = expected.missing(d);
        for (Expected.Slot slot : missing) {
            steps.add(new Plan.Step(Plan.Action.CREATE, slot.name(d.project()), "missing"));
        }
        List<Node> removed = master == null ? List.of() : Shrink.victims(d, master, expected);
        for (Node n : removed) {
            steps.add(new Plan.Step(Plan.Action.REMOVE, n.name(), "beyond the topology's counts"));
        }
        List<Node> kept = d.nodes().stream().filter(n -> !removed.contains(n)).toList();
        Map<Node, List<String>> outdated = new LinkedHashMap<>();
        for (Node n : kept) {
            List<String> reasons = settings.differences(n);
            if (!reasons.isEmpty()) {
                outdated.put(n, reasons);
            }
        }
        Map<Node, List<RuntimeSettings.Change>> byNode = changes.stream()
                .filter(c -> kept.contains(c.node()) && !outdated.containsKey(c.node()))
                .collect(Collectors.groupingBy(RuntimeSettings.Change::node, LinkedHashMap::new, Collectors.toList()));
        byNode.forEach((node, list) -> steps.add(new Plan.Step(Plan.Action.CHANGE, node.name(),
                list.stream().map(RuntimeSettings.Change::describe).collect(Collectors.joining(", ")))));

        outdated.forEach((n, reasons) -> {
            if (n.service().isRedis() && (master == null || !n.id().equals(master.id()))) {
                steps.add(replace(n, reasons));
            }
        });
        String refusal = allAtOnce(outdated);
        if (master != null && outdated.containsKey(master)) {
            Optional<String> to = switchTarget(d, master, removed, missing);
            if (to.isEmpty() && refusal == null) {
                refusal = "no replica to switch over to: " + master.name() + " is the master and "
                        + (topology.replicas().count() == 0 ? "the topology has no replica"
                        : "every replica has replica-priority 0");
            } else if (to.isPresent()) {
                steps.add(new Plan.Step(Plan.Action.SWITCHOVER, master.name(), "to " + to.get()));
            }
            steps.add(replace(master, outdated.get(master)));
        }
        List<Node> sentinels = outdated.keySet().stream().filter(n -> n.service() == Service.SENTINEL).toList();
        sentinels.forEach(n -> steps.add(replace(n, outdated.get(n))));
        if (refusal == null && !sentinels.isEmpty() && topology.sentinels().count() - 1 < topology.sentinels().quorum()) {
            refusal = "replacing a Sentinel would leave " + (topology.sentinels().count() - 1) + " running, below the quorum of "
                    + topology.sentinels().quorum();
        }
        if (refusal == null && outdated.keySet().stream().anyMatch(n -> n.service().isRedis())) {
            refusal = downgrade(running, target);
        }
        return new Plan(d.project(), steps, refusal);
    }

    /**
     * Settings that every node must change at the same moment, which a roll cannot do: with a new
     * password a replaced replica could not authenticate to the old master (nor redisha to the old
     * nodes), and a Sentinel under a new master name would not agree with the others.
     */
    private static String allAtOnce(Map<Node, List<String>> outdated) {
        for (var e : outdated.entrySet()) {
            if (e.getValue().contains(NodeSettings.AUTH) && e.getValue().contains(NodeSettings.USERS)) {
                return "auth.users was added to a deployment with one password (or removed from one), and nodes"
                        + " with users cannot log in to nodes with the default user's password (docs/users.md)";
            }
            if (e.getValue().contains("auth")) {
                return "the passwords (auth) changed, and nodes with the new one cannot talk to nodes with the old one";
            }
            if (e.getValue().contains(NodeSettings.TLS)) {
                return "TLS was turned on or off, and nodes with TLS cannot talk to nodes without (nor can their clients)";
            }
            if (e.getValue().contains("master-name")) {
                return "sentinels.master-name changed, and Sentinels under different names cannot agree";
            }
        }
        return null;
    }

    private static Plan.Step replace(Node n, List<String> reasons) {
        return new Plan.Step(Plan.Action.REPLACE, n.name(), String.join(", ", reasons));
    }

    /**
     * The replica Sentinel is made to promote: of the Redis servers that stay, or are created, the one
     * with the best (lowest, not 0) replica-priority, then the lowest name.
     */
    Optional<String> switchTarget(Deployment d, Node master, List<Node> removed, List<Expected.Slot> missing) {
        record Candidate(String name, int priority) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Node n : d.redisNodes()) {
            if (!n.id().equals(master.id()) && !removed.contains(n)) {
                candidates.add(new Candidate(n.name(), settings.replicaPriority(n.service(), n.index())));
            }
        }
        for (Expected.Slot slot : missing) {
            if (slot.service().isRedis()) {
                candidates.add(new Candidate(slot.name(d.project()), settings.replicaPriority(slot.service(), slot.index())));
            }
        }
        return candidates.stream().filter(c -> c.priority() > 0)
                .min(Comparator.comparingInt(Candidate::priority).thenComparing(Candidate::name))
                .map(Candidate::name);
    }

    /**
     * Why the image cannot replace the running servers one at a time: replicas of an older server
     * than their master cannot read its replication stream, and Valkey cannot read a Redis 8 RDB.
     */
    static String downgrade(List<ServerImage> running, ServerImage target) {
        if (target == null) {
            return null;
        }
        for (ServerImage now : running) {
            if (now.flavour().equals("redis") && now.major() >= 8 && target.flavour().equals("valkey")) {
                return "the servers run " + now.describe() + " and " + target.describe()
                        + " cannot read its data (RDB format) as a replica";
            }
            if (ServerImage.compareVersions(target.version(), now.version()) < 0) {
                return "downgrade: the servers run " + now.describe() + " and " + target.image() + " runs "
                        + target.describe() + "; an older replica cannot follow a newer master";
            }
        }
        return null;
    }
}
