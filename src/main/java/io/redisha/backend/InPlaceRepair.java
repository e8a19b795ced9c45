package io.redisha.backend;

/**
 * What a backend offers whose nodes a fault can leave paused or cut off the project's network while
 * they keep their place (containers on one engine), and that puts them back as they were. A Swarm
 * task has no pause and stays on its network for its whole life.
 */
public interface InPlaceRepair {

    /** Lets a paused node run again. */
    void resume(Node node);

    /** Attaches a running node that was cut off the deployment's network again, with its aliases. */
    void reattach(Node node);
}
