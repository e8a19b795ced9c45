package io.redisha.backend;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the orchestrator needs from an engine, for one project. A backend finds the project's
 * objects by label, names them with {@link Naming}, and turns every failure of its engine client
 * into a {@link BackendException}: no engine client's type or exception crosses this interface.
 */
public interface Backend extends AutoCloseable {

    /** The engine, for messages: "unix:///var/run/docker.sock". */
    String describe();

    // ---- the project's nodes ---------------------------------------------------------------

    /** Every node of the project, running or not, ordered by service then index. */
    List<Node> nodes();

    /** Whether anything of the project exists (a node or its network). */
    boolean exists();

    /** Creates the node from the spec, puts its files in, and starts it; returns its id. */
    String create(NodeSpec spec);

    void start(Node node);

    /** Graceful stop (SIGTERM, a short grace period). */
    void stop(Node node);

    void remove(Node node);

    /** Lets a paused node run again. */
    void resume(Node node);

    /** Attaches a running node that was cut off the deployment's network again, with its aliases. */
    void reattach(Node node);

    /** Replaces the node's files (its configuration) and starts it: a stopped node comes up with the new configuration. */
    void startWith(Node node, Map<String, byte[]> files);

    /** The node's last log lines, for error messages; empty when they cannot be read. */
    List<String> logs(Node node, int lines);

    /**
     * Reads the node's log into {@code onLine}, one line at a time and in order, on a thread of the
     * backend's: the last {@code tail} lines (all of them when negative), then, when {@code follow},
     * each new line as the node writes it until the returned stream is closed or the node stops.
     * This default reads the last lines once and cannot follow.
     */
    default LogStream streamLogs(Node node, int tail, boolean follow, Consumer<String> onLine) {
        if (follow) {
            throw new BackendException("following a log is not supported on " + describe());
        }
        logs(node, tail < 0 ? Integer.MAX_VALUE : tail).forEach(onLine);
        return LogStream.ended();
    }

    /**
     * Makes the engine start each node again by itself when its process ends, after the engine
     * restarts and after the host boots, but not when the node was stopped on purpose; in place,
     * without replacing a node. Returns how many had to be changed. A backend whose scheduler
     * restarts failed nodes by itself (Swarm) changes nothing.
     */
    default int restartByItself(List<Node> nodes) {
        return 0;
    }

    /** How often and when each node was last started; empty when the backend cannot tell. */
    default List<NodeStarts> starts(List<Node> nodes) {
        return List.of();
    }

    // ---- infrastructure --------------------------------------------------------------------

    boolean imageExists(String image);

    /** What the image says about itself (default command, environment, labels); empty when it is not on the engine. */
    java.util.Optional<ImageFacts> imageFacts(String image);

    /**
     * Runs a program of the image once, in place of the image's entrypoint and without a network,
     * and returns what it printed; empty when the image has no such program. Nothing is left behind.
     */
    java.util.Optional<String> runOnce(String image, String program, List<String> args);

    /**
     * Builds an image from a directory holding a Dockerfile, labelled as the project's; never pulls.
     * Returns whether it built one (false: the tag was current, or the backend builds none).
     */
    boolean buildImage(File contextDir, String tag, Map<String, String> buildArgs);

    void removeImage(String tag);

    /**
     * Removes the project's images that no tag names and no container uses: earlier builds of the
     * Sentinel image, left when a change of base image (a roll) built it again. Returns how many.
     */
    default int removeOldImages() {
        return 0;
    }

    /**
     * The project's network, created when missing. Returns the addresses on it that the backend
     * keeps for nodes that ask for a fixed one ({@link NodeSpec#address()}), or empty when the
     * network has none (one created by an older redisha, or an engine that cannot fix addresses).
     */
    Optional<AddressRange> ensureNetwork();

    void removeNetwork();

    /** Names of the project's data volumes. */
    List<String> volumes();

    void removeVolume(String name);

    /** Whether a fixed port can be published on the bind address (checked before anything is created). */
    boolean hostPortFree(String bind, int port);

    /**
     * Takes the project's lock for a command that changes it; a second one is refused at once.
     *
     * @throws ProjectBusyException when another command holds it
     */
    ProjectLock lock(String command);

    /**
     * Whether a node that comes back (rescheduled, on another host) may have another address on the
     * network: then nodes must refer to each other by name, not by address.
     */
    default boolean addressesMove() {
        return false;
    }

    /**
     * Why the backend cannot place this many Redis servers and Sentinels so that the deployment
     * survives what it promises to survive (for a multi-host backend: the loss of any one host);
     * empty when it can. Asked before anything is created.
     */
    default java.util.Optional<String> placementProblem(int redisServers, int sentinels, int quorum) {
        return java.util.Optional.empty();
    }

    /** Hosts of the project's nodes that cannot run them now ("host lab-host-2 is down"); empty on one engine. */
    default List<String> hostProblems() {
        return List.of();
    }

    // ---- faults ----------------------------------------------------------------------------

    /** The faults this backend can inject, in the order to offer them; the first is the default. */
    List<FaultKind> faults();

    void inject(FaultKind fault, Node target);

    /** Undoes the fault if it is still in effect; returns whether anything had to be done. */
    boolean heal(FaultKind fault, Node target);

    /**
     * Undoes what an interrupted fault left beyond the nodes' own state (a partition's side
     * network, with the node still on it), for {@code up}; returns what it did, for people.
     */
    default List<String> removeFaultLeftovers() {
        return List.of();
    }

    /**
     * A new connection to the same engine for the same project, for a shutdown hook that must undo a
     * fault after this one was closed.
     */
    Backend reopen();

    @Override
    void close();
}
