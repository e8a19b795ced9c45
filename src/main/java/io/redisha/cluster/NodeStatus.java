package io.redisha.cluster;

/**
 * One Redis server as observed.
 *
 * @param role       actual role from INFO replication: master, replica, or unknown when it cannot be asked
 * @param replicaOf  container name of the master a replica follows, or null
 * @param link       replication link of a replica (up/down), or null
 * @param lagSeconds the master's view of the replica's lag, or null
 * @param error      why the node could not be asked, or null
 */
public record NodeStatus(String service, int index, String name, String state, String role, String address,
                         String hostAddress, String replicaOf, String link, Long lagSeconds, String error) {
}
