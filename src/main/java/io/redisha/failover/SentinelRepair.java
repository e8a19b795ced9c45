package io.redisha.failover;

import io.redisha.cluster.Cluster;
import io.redisha.cluster.Deployment;
import io.redisha.cluster.Expected;
import io.redisha.docker.NodeContainer;
import io.redisha.sentinel.SentinelView;
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
 * the next is reset.
 */
final class SentinelRepair {
    private static final long POLL_MILLIS = 250;

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

    /** Resets each Sentinel that lists stale entries; returns a note per reset. */
    static List<String> resetStale(Cluster cluster, Expected expected, long deadlineNanos) {
        List<String> notes = new ArrayList<>();
        String masterName = cluster.redis().masterName();
        for (NodeContainer sentinel : cluster.refresh().sentinels()) {
            if (!sentinel.isRunning()) {
                continue;
            }
            List<String> stale;
            try (Jedis jedis = cluster.redis().sentinel(Deployment.networkAddress(sentinel))) {
                stale = staleEntries(jedis.sentinelReplicas(masterName));
                if (stale.isEmpty()) {
                    continue;
                }
                jedis.sentinelReset(masterName);
            } catch (JedisException e) {
                notes.add("could not check " + sentinel.name() + " for stale replica entries: " + e.getMessage());
                continue;
            }
            cluster.progress().step("SENTINEL RESET " + masterName + " on " + sentinel.name()
                    + ": it listed the old master twice (stale entry " + String.join(", ", stale) + ")");
            boolean settled = awaitRediscovery(cluster, sentinel, expected, deadlineNanos);
            notes.add(sentinel.name() + " listed stale replica entries " + stale + " (the old master recorded under"
                    + " a DNS name that did not resolve during the fault): redisha ran SENTINEL RESET " + masterName
                    + (settled ? "; it rediscovered the deployment" : "; it had not rediscovered the deployment in time"));
        }
        return notes;
    }

    private static boolean awaitRediscovery(Cluster cluster, NodeContainer sentinel, Expected expected,
                                            long deadlineNanos) {
        while (true) {
            SentinelView view = cluster.redis().sentinelView(Deployment.networkAddress(sentinel));
            if (view.reachable()
                    && view.knownReplicas().size() == expected.replicas()
                    && view.knownReplicas().stream().noneMatch(SentinelView.Instance::isDown)
                    && view.otherSentinels().size() == expected.sentinels() - 1
                    && view.otherSentinels().stream().noneMatch(SentinelView.Instance::isDown)) {
                return true;
            }
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            FailoverRound.pause(POLL_MILLIS);
        }
    }
}
