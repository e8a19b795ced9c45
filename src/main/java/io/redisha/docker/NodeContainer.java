package io.redisha.docker;

/**
 * One of the project's containers as the engine reports it.
 *
 * @param ip       address on the project's network, or null when not attached / not running
 * @param hostPort port published on the host's bind address, or null when not published (not running)
 */
public record NodeContainer(String id, String name, Service service, int index, ContainerState state,
                            String ip, Integer hostPort, String hostIp, String image) {

    public boolean isRunning() {
        return state == ContainerState.RUNNING;
    }

    /** Address of the node inside the project's network, as Redis and Sentinel report it. */
    public String networkAddress() {
        return ip == null ? null : ip + ":" + service.port();
    }
}
