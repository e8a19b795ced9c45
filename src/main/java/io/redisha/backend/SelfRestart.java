package io.redisha.backend;

import java.util.List;

/**
 * What a backend offers whose engine starts a node again only when told to (a single engine's
 * restart policy): nodes that restart by themselves, and what their starts were. Swarm restarts
 * failed tasks by its own policy and offers neither.
 */
public interface SelfRestart {

    /**
     * Makes the engine start each node again by itself when its process ends, after the engine
     * restarts and after the host boots, but not when the node was stopped on purpose; in place,
     * without replacing, starting or stopping a node. Returns how many had to be changed.
     */
    int restartByItself(List<Node> nodes);

    /** How often and when each node was last started. */
    List<NodeStarts> starts(List<Node> nodes);
}
