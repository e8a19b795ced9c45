package io.redisha.backend.swarm;

import java.util.List;
import java.util.Optional;

/**
 * Whether a deployment survives the loss of any one Swarm host when every Redis server and every
 * Sentinel runs on a host of its own (each publishes its port on its host, in host mode): losing a
 * host then loses at most one Redis server and one Sentinel.
 *
 * @param hosts      hostnames of the usable Swarm nodes (ready, availability active), sorted
 * @param acceptRisk deploy even when losing one host would stop the failover
 */
record Placement(List<String> hosts, boolean acceptRisk) {

    Optional<String> problem(int redisServers, int sentinels, int quorum) {
        int needed = Math.max(redisServers, sentinels);
        if (hosts.size() < needed) {
            return Optional.of("the swarm has " + hosts.size() + " usable " + (hosts.size() == 1 ? "host" : "hosts")
                    + " " + hosts + " but this topology needs " + needed + ": each of its " + redisServers
                    + " Redis servers and each of its " + sentinels + " Sentinels runs on a host of its own (its port is"
                    + " published on that host, and losing one host must lose at most one of each); add hosts or lower"
                    + " replicas.count / sentinels.count");
        }
        if (acceptRisk) {
            return Optional.empty();
        }
        if (redisServers < 2) {
            return Optional.of("losing the master's host would leave no replica to promote (replicas.count is 0);"
                    + " use at least 1 replica on another host, or set swarm.accept-risk: true");
        }
        int left = sentinels - 1;
        if (left < quorum || left <= sentinels / 2) {
            return Optional.of("losing one host would leave " + left + " of the " + sentinels + " Sentinels, "
                    + (left < quorum ? "fewer than the quorum of " + quorum : "not a majority")
                    + ", so no failover could happen; use at least 3 Sentinels on 3 hosts with a quorum of at most "
                    + Math.max(1, sentinels - 1) + ", or set swarm.accept-risk: true");
        }
        return Optional.empty();
    }
}
