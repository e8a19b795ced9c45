package io.redisha.backend;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    // ---- infrastructure --------------------------------------------------------------------

    boolean imageExists(String image);

    /** Builds an image from a directory holding a Dockerfile, labelled as the project's; never pulls. */
    void buildImage(File contextDir, String tag, Map<String, String> buildArgs);

    void removeImage(String tag);

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

    // ---- faults ----------------------------------------------------------------------------

    /** The faults this backend can inject, in the order to offer them; the first is the default. */
    List<FaultKind> faults();

    void inject(FaultKind fault, Node target);

    /** Undoes the fault if it is still in effect; returns whether anything had to be done. */
    boolean heal(FaultKind fault, Node target);

    /**
     * A new connection to the same engine for the same project, for a shutdown hook that must undo a
     * fault after this one was closed.
     */
    Backend reopen();

    @Override
    void close();
}
