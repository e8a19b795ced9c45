package io.redisha.cluster;

import java.util.List;

/**
 * What {@code up} does to make a deployment match its topology, in the order it does it: create the
 * missing nodes, remove those beyond the counts, change run-time settings in place, then replace the
 * nodes whose container settings differ (replicas one at a time, a switchover, the old master, the
 * Sentinels one at a time).
 *
 * @param refusal why the replacements cannot be done without downtime, or null when they can
 */
public record Plan(String project, List<Step> steps, String refusal) {

    public enum Action {
        CREATE, REMOVE, CHANGE, REPLACE, SWITCHOVER;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param node   the container name
     * @param detail what and why: "maxmemory 0 -> 67108864", "image redis:7 -> redis:8"
     */
    public record Step(Action action, String node, String detail) {
        /** "replace shop-replica-1: image redis:7 -> redis:8". */
        public String describe() {
            return action.label() + " " + node + (detail == null || detail.isEmpty() ? "" : ": " + detail);
        }
    }

    public Plan {
        steps = List.copyOf(steps);
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** Whether it replaces any node. */
    public boolean rolls() {
        return steps.stream().anyMatch(s -> s.action() == Action.REPLACE);
    }
}
