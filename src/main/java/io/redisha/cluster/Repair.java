package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.NodeState;

import java.util.ArrayList;
import java.util.List;

/** One thing {@code up} does to put a node that a fault or an interrupted run left behind back into service. */
record Repair(Node node, Action action) {

    enum Action {
        /** Paused: let it run. */
        RESUME,
        /** Created but never started, so its configuration may not have been put in: remove it, to be created again. */
        REMOVE_HALF_CREATED,
        /** Stopped: start it. */
        START,
        /** Running but cut off the deployment's network: attach it again. */
        REATTACH
    }

    /** What to repair, in the deployment's order; the held nodes are left alone (see {@link HoldBack}). */
    static List<Repair> plan(Deployment d, List<Node> held) {
        List<Repair> repairs = new ArrayList<>();
        for (Node n : d.nodes()) {
            if (held.contains(n)) {
                continue;
            }
            switch (n.state()) {
                case PAUSED -> repairs.add(new Repair(n, Action.RESUME));
                case CREATED, DEAD -> repairs.add(new Repair(n, Action.REMOVE_HALF_CREATED));
                case EXITED -> repairs.add(new Repair(n, Action.START));
                default -> {
                    if (n.isDetached()) {
                        repairs.add(new Repair(n, Action.REATTACH));
                    }
                }
            }
        }
        return repairs;
    }

    /** The deployment as repair keeps it: a node that never started is removed and created again. */
    static Deployment withoutHalfCreated(Deployment d) {
        return new Deployment(d.project(), d.network(), d.nodes().stream()
                .filter(n -> n.state() != NodeState.CREATED && n.state() != NodeState.DEAD).toList());
    }
}
