package io.redisha.backend.swarm;

import java.util.List;
import java.util.Optional;

/**
 * Whether a deployment survives the loss of any one Swarm host. Redis servers run on hosts of their
 * own (two on one host would be lost together), unless the risk is accepted; Sentinels are spread
 * evenly, at most ceil(sentinels / hosts) on one host, so losing a host loses at most that many.
 * Nodes sharing a host publish consecutive ports there (host mode).
 *
 * @param hosts      hostnames of the usable Swarm nodes (ready, availability active), sorted
 * @param acceptRisk deploy even when losing one host would stop the failover or lose two Redis servers
 */
record Placement(List<String> hosts, boolean acceptRisk) {

    /** The most Sentinels one host carries when they are spread evenly. */
    static int mostPerHost(int nodes, int hosts) {
        return hosts == 0 ? nodes : (nodes + hosts - 1) / hosts;
    }

    Optional<String> problem(int redisServers, int sentinels, int quorum) {
        int h = hosts.size();
        if (h == 0) {
            return Optional.of("the swarm has no usable host (ready, availability active)");
        }
        if (redisServers > h && !acceptRisk) {
            return Optional.of("the swarm has " + h + " usable " + (h == 1 ? "host" : "hosts") + " " + hosts
                    + " but this topology needs " + redisServers + ": each of its " + redisServers + " Redis servers"
                    + " runs on a host of its own (losing a host that ran two would lose both); add hosts, lower"
                    + " replicas.count, or set swarm.accept-risk: true");
        }
        if (acceptRisk) {
            return Optional.empty();
        }
        if (redisServers < 2) {
            return Optional.of("losing the master's host would leave no replica to promote (replicas.count is 0);"
                    + " use at least 1 replica on another host, or set swarm.accept-risk: true");
        }
        int most = mostPerHost(sentinels, h);
        int left = sentinels - most;
        if (left < quorum || left <= sentinels / 2) {
            String spread = most == 1 ? "" : " (" + sentinels + " Sentinels on " + h + " hosts put " + most + " on one)";
            return Optional.of("losing one host would leave " + left + " of the " + sentinels + " Sentinels" + spread
                    + ", " + (left < quorum ? "fewer than the quorum of " + quorum : "not a majority")
                    + ", so no failover could happen; use an odd number of Sentinels, at least 3, spread so that"
                    + " losing one host leaves a majority, with a quorum of at most that majority, or set"
                    + " swarm.accept-risk: true");
        }
        return Optional.empty();
    }
}
