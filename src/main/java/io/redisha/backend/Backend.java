package io.redisha.backend;

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

    /**
     * As {@link #create(NodeSpec)}, starting the node only once {@code beforeStart} returns: an engine
     * that can create a node without starting it prepares it meanwhile; by default it waits first.
     */
    default String create(NodeSpec spec, Runnable beforeStart) {
        beforeStart.run();
        return create(spec);
    }

    void start(Node node);

    /** Graceful stop (SIGTERM, a short grace period). */
    void stop(Node node);

    void remove(Node node);

    /** Replaces the node's files (its configuration) and starts it: a stopped node comes up with the new configuration. */
    void startWith(Node node, Map<String, byte[]> files);

    /** The node's last log lines, for error messages; empty when they cannot be read. */
    List<String> logs(Node node, int lines);

    /**
     * Replaces files of a running node in place, each owned as the file it replaces and readable by
     * its owner only; the node keeps running (its server reads them when told to).
     *
     * @throws BackendException when this backend cannot
     */
    default void replaceFiles(Node node, Map<String, byte[]> files) {
        throw new BackendException("replacing the files of a running node is not supported on " + describe());
    }

    /** Whether {@link #replaceFiles} works here. */
    default boolean replacesFiles() {
        return false;
    }

    /**
     * Whether the passwords of the single-password mode are rotated, and a deployment moved from one password
     * to ACL users, in place: this backend reads a running node's configuration ({@link #readFile}) and gives
     * its restart protection a new credential ({@link #renewProtectionPassword}, {@link #protectAsUser}).
     * Otherwise a changed password makes new nodes.
     */
    default boolean rotatesPasswordsInPlace() {
        return replacesFiles();
    }

    /**
     * The file at {@code path} inside a running node (its configuration, which may hold a password: kept in
     * memory only); empty when this backend cannot read a node's files.
     */
    default Optional<byte[]> readFile(Node node, String path) {
        return Optional.empty();
    }

    /**
     * Gives a running Redis node's restart protection the password it logs in to the Sentinels with, as this
     * backend was opened with it (after that password was rotated in place: Sentinel's, or with ACL users
     * redisha's own user's), the user it logs in as unchanged; false when the node has no such copy or this
     * backend cannot replace it.
     */
    default boolean renewProtectionPassword(Node node) {
        return false;
    }

    /**
     * Has a running Redis node's restart protection log in as the ACL user this backend was opened with, and
     * its password, from now on (the node was made with one password and moved to users in place); false when
     * the node has no protection, this backend was opened without a user, or it cannot change the node's files.
     */
    default boolean protectAsUser(Node node) {
        return false;
    }

    /**
     * The password a running Redis node's restart protection logs in to the Sentinels with, as ACL user (redisha's
     * own: the one the nodes accept until it is rotated), read from the node's copy and kept in memory only; empty
     * when the node has no protection, no user, or this backend cannot read its files.
     */
    default Optional<String> protectionPassword(Node node) {
        return Optional.empty();
    }

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

    // ---- infrastructure --------------------------------------------------------------------

    boolean imageExists(String image);

    /** What the image says about itself (default command, environment, labels); empty when it is not on the engine. */
    Optional<ImageFacts> imageFacts(String image);

    /**
     * Runs a program of the image once, in place of the image's entrypoint and without a network,
     * and returns what it printed; empty when the image has no such program. Nothing is left behind.
     */
    Optional<String> runOnce(String image, String program, List<String> args);

    /**
     * The project's network, created when missing. Returns the addresses on it that the backend
     * keeps for nodes that ask for a fixed one ({@link NodeSpec#address()}), or empty when the
     * network has none (one created by an older redisha, or an engine that cannot fix addresses).
     */
    Optional<AddressRange> ensureNetwork();

    /**
     * Removes what the project's nodes share and no node owns: its networks, and on an engine that keeps
     * the nodes' files apart from them (Swarm's configs and secrets) those too, once the removed nodes
     * have let go of them.
     */
    void removeSharedObjects();

    /** Names of the project's data volumes. */
    List<String> volumes();

    void removeVolume(String name);

    /**
     * Whether a node that comes back (rescheduled, on another host) may have another address on the
     * network: then nodes must refer to each other by name, not by address.
     */
    default boolean addressesMove() {
        return false;
    }

    // ---- what only some backends can do -----------------------------------------------------

    /** Builds the Sentinel image on the engine; empty when the backend builds none (Swarm). */
    default Optional<ImageBuilds> imageBuilds() {
        return Optional.empty();
    }

    /** Puts a paused or cut-off node back in place; empty when nodes cannot be left so (Swarm). */
    default Optional<InPlaceRepair> inPlaceRepair() {
        return Optional.empty();
    }

    /** Checks host ports on this machine; empty when the engine publishes them elsewhere (Swarm). */
    default Optional<LocalPorts> localPorts() {
        return Optional.empty();
    }

    /** Nodes the engine restarts by itself, and their starts; empty when its scheduler does so on its own (Swarm). */
    default Optional<SelfRestart> selfRestart() {
        return Optional.empty();
    }

    /** Snapshot files copied out of and into nodes, and checked; empty when the backend cannot. */
    default Optional<Snapshots> snapshots() {
        return Optional.empty();
    }

    /** The exporters beside the nodes ({@link NodeSpec#exporter()}); empty when the backend runs none. */
    default Optional<Exporters> exporters() {
        return Optional.empty();
    }

    /** Placement over several hosts and their state; empty on one engine. */
    default Optional<Hosts> hosts() {
        return Optional.empty();
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
