package io.redisha.cluster;

import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.topology.Topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The nodes a topology asks for.
 *
 * <p>Sentinels are slots: {@code sentinel-1..M}. Redis servers are a count: {@code replicas + 1}
 * containers of the {@code master} or {@code replica} service, whatever their numbers. A fresh
 * deployment is {@code master-1} plus {@code replica-1..N}, and missing servers are created in the
 * first free of the slots {@code master-1, replica-1, replica-2, ...}; but after a failover the
 * master can be any of them, and shrinking never removes the current master, so the survivors of a
 * shrink need not be the lowest-numbered (see {@link Scaler}).
 */
public record Expected(int replicas, int sentinels) {

    public record Slot(Service service, int index) {
        public String name(String project) {
            return Naming.container(project, service, index);
        }
    }

    public static Expected of(Topology topology) {
        return new Expected(topology.replicas().count(), topology.sentinels().count());
    }

    /** Master plus replicas. */
    public int redisServers() {
        return replicas + 1;
    }

    /** The layout of a fresh deployment: master-1, replica-1..N, sentinel-1..M. */
    public List<Slot> slots() {
        List<Slot> slots = new ArrayList<>();
        slots.add(new Slot(Service.MASTER, 1));
        for (int i = 1; i <= replicas; i++) {
            slots.add(new Slot(Service.REPLICA, i));
        }
        for (int i = 1; i <= sentinels; i++) {
            slots.add(new Slot(Service.SENTINEL, i));
        }
        return slots;
    }

    /**
     * What to create so the deployment has what this expects: the Sentinel slots that have no
     * container, and as many Redis servers as are short, in the first free Redis slots.
     */
    public List<Slot> missing(Deployment d) {
        List<Slot> missing = new ArrayList<>();
        int lacking = redisServers() - d.redisNodes().size();
        if (lacking > 0 && d.find(Service.MASTER, 1).isEmpty()) {
            missing.add(new Slot(Service.MASTER, 1));
            lacking--;
        }
        for (int i = 1; lacking > 0; i++) {
            if (d.find(Service.REPLICA, i).isEmpty()) {
                missing.add(new Slot(Service.REPLICA, i));
                lacking--;
            }
        }
        for (int i = 1; i <= sentinels; i++) {
            if (d.find(Service.SENTINEL, i).isEmpty()) {
                missing.add(new Slot(Service.SENTINEL, i));
            }
        }
        return missing;
    }

    /** Sentinels beyond the count: the highest-numbered go first. */
    public List<Node> extraSentinels(Deployment d) {
        return d.sentinels().stream().filter(s -> s.index() < 1 || s.index() > sentinels)
                .sorted(Comparator.comparingInt(Node::index).reversed()).toList();
    }

    /** How many Redis servers are beyond the count. */
    public int extraRedisServers(Deployment d) {
        return Math.max(0, d.redisNodes().size() - redisServers());
    }

    /** Whether the deployment has containers beyond the counts, which only a shrink removes. */
    public boolean hasExtras(Deployment d) {
        return !extraSentinels(d).isEmpty() || extraRedisServers(d) > 0;
    }

    /** Why the containers do not match this: missing, not running, or beyond the counts. Empty when they match. */
    public List<String> containerProblems(Deployment d) {
        List<String> problems = new ArrayList<>();
        for (Slot slot : missing(d)) {
            problems.add(slot.name(d.project()) + " does not exist");
        }
        List<Node> extraSentinels = extraSentinels(d);
        for (Node n : d.nodes()) {
            if (extraSentinels.contains(n)) {
                problems.add(n.name() + " is not in the topology (" + replicas + " replicas, " + sentinels + " sentinels)");
            } else if (!n.isRunning()) {
                problems.add(n.name() + " is " + n.state().label());
            }
        }
        if (extraRedisServers(d) > 0) {
            problems.add(d.redisNodes().size() + " Redis servers where the topology has " + redisServers()
                    + " (1 master + " + replicas + (replicas == 1 ? " replica)" : " replicas)"));
        }
        return problems;
    }
}
