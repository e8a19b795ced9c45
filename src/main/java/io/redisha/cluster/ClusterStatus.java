package io.redisha.cluster;

import java.util.List;

/**
 * The deployment as observed at one moment: every Redis server by actual role, every Sentinel's
 * view, and whether it is ready (DESIGN.md) with the reasons when it is not.
 *
 * @param master         container name of the current master, or null when there is none to agree on
 * @param sentinelsAgree whether every running Sentinel names the same master
 * @param notReady       what keeps the deployment from being ready; empty when ready
 */
public record ClusterStatus(String project, String network, List<NodeStatus> nodes, List<SentinelStatus> sentinels,
                            String master, boolean sentinelsAgree, boolean ready, List<String> notReady) {
}
