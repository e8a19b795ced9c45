package io.redisha.backend;

/**
 * One of the project's nodes as a backend reports it, in terms no engine owns.
 *
 * @param id        the backend's handle for the node (a container id on one engine)
 * @param networkIp address on the deployment's network, or null when not attached or not running
 * @param dial      where this process connects to reach the node's port, or null when it cannot (not running)
 * @param host      the machine the node runs on, or null when the backend has a single one
 * @param settings  what the node was created from ({@link NodeSpec#settings()}), or null when it
 *                  recorded nothing (created by an older redisha)
 */
public record Node(String id, String name, Service service, int index, NodeState state, String networkIp,
                   Endpoint dial, String image, String host, String settings) {

    /** A node that recorded no settings. */
    public Node(String id, String name, Service service, int index, NodeState state, String networkIp,
                Endpoint dial, String image, String host) {
        this(id, name, service, index, state, networkIp, dial, image, host, null);
    }

    public boolean isRunning() {
        return state == NodeState.RUNNING;
    }

    /** Running, but without an address on the deployment's network (cut off it). */
    public boolean isDetached() {
        return isRunning() && networkIp == null;
    }

    /** Address of the node inside the deployment's network, as Redis and Sentinel report it. */
    public String networkAddress() {
        return networkIp == null ? null : networkIp + ":" + service.port();
    }

    /** The node as Redis and Sentinel name it on the deployment's network: its name and port. */
    public Endpoint nameAddress() {
        return new Endpoint(name, service.port());
    }
}
