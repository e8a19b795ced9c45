package io.redisha.backend;

/**
 * A way a backend can break a node on purpose, declared by the backend that can inject it.
 *
 * @param name            what the user types after {@code --fault}
 * @param injected        past participle for messages: "paused", "killed"
 * @param healed          what undoing it is called: "unpaused", "started"
 * @param restarts        whether healing starts a stopped process again (so a master comes back with
 *                        only what it had on disk)
 * @param description     one line for {@code --help}
 */
public record FaultKind(String name, String injected, String healed, boolean restarts, String description) {
    public static final String PARTITION = "partition";
    public static final String RESTART_FAST = "restart-fast";

    /**
     * The fault, when it is one of those a backend offers; else an error naming those it does.
     *
     * @param engine the engine, for the message: "a single Docker engine"
     */
    public static FaultKind offered(java.util.List<FaultKind> offered, FaultKind fault, String engine) {
        if (!offered.contains(fault)) {
            throw new BackendException("fault " + fault.name() + " is not supported on " + engine + "; choose one of "
                    + offered.stream().map(FaultKind::name).toList());
        }
        return fault;
    }

    /**
     * Whether the node is restarted faster than Sentinel can notice it down: it comes back at once
     * with only what it had on disk, and nothing is left to heal.
     */
    public boolean isRestartFast() {
        return RESTART_FAST.equals(name);
    }

    /**
     * Whether the node keeps running and serving the clients on its side while the Sentinels and
     * replicas cannot reach it: such a fault lasts a set time, not just until Sentinel reacts.
     */
    public boolean isPartition() {
        return PARTITION.equals(name);
    }
}
