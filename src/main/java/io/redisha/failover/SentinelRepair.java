package io.redisha.failover;

import io.redisha.cluster.Cluster;
import io.redisha.cluster.Deployment;
import io.redisha.cluster.Expected;
import io.redisha.cluster.NotReadyException;
import io.redisha.cluster.Scaler;
import io.redisha.docker.NodeContainer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Clears replica entries a Sentinel keeps for an address that is not the node's own. When the
 * master Sentinel monitors by DNS name is stopped, killed or cut off, the name does not resolve at
 * the moment of the switch, and Sentinel records the old master as a replica named ":6379"; once
 * the node is back Sentinel lists it twice, forever, and the deployment never counts as ready. The
 * remedy is the one the Sentinel documentation gives for forgetting instances: {@code SENTINEL
 * RESET}, one Sentinel at a time, each rediscovering the replicas and the other Sentinels before
 * the next is reset ({@link Scaler#resetSentinels}).
 */
final class SentinelRepair {
    private SentinelRepair() {
    }

    /** Entries (by Sentinel's name for them) that are not "ip:port" of their own address, or repeat one. */
    static List<String> staleEntries(List<Map<String, String>> replicas) {
        List<String> stale = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, String> r : replicas) {
            String ip = r.getOrDefault("ip", "");
            String address = ip + ":" + r.get("port");
            String name = r.getOrDefault("name", address);
            if (ip.isEmpty() || !name.equals(address)) {
                stale.add(name);
            } else if (!seen.add(address)) {
                stale.add(name + " (twice)");
            }
        }
        return stale;
    }

    /**
     * Resets, through the Scaler's one-at-a-time procedure, each Sentinel that lists a stale entry;
     * returns a note of what it found and did. (The readiness wait resets Sentinels listing addresses
     * no node answers to; an entry whose address is a live node's under another name escapes it.)
     */
    static List<String> resetStale(Cluster cluster, Expected expected, long deadlineNanos) {
        String masterName = cluster.redis().masterName();
        List<String> names = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (NodeContainer sentinel : cluster.refresh().sentinels()) {
            if (!sentinel.isRunning()) {
                continue;
            }
            try (Jedis jedis = cluster.redis().sentinel(Deployment.networkAddress(sentinel))) {
                List<String> stale = staleEntries(jedis.sentinelReplicas(masterName));
                if (!stale.isEmpty()) {
                    names.add(sentinel.name());
                    found.add(sentinel.name() + " " + stale);
                }
            } catch (JedisException e) {
                return List.of("could not check " + sentinel.name() + " for stale replica entries: " + e.getMessage());
            }
        }
        if (names.isEmpty()) {
            return List.of();
        }
        String what = "stale replica entries (the old master recorded under a DNS name that did not resolve during the"
                + " fault): " + String.join(", ", found) + "; redisha ran SENTINEL RESET " + masterName
                + " on each, one at a time";
        try {
            new Scaler(cluster).resetSentinels(expected, names, deadlineNanos);
            return List.of(what);
        } catch (NotReadyException e) {
            return List.of(what + ", which did not settle: " + e.getMessage());
        }
    }
}
