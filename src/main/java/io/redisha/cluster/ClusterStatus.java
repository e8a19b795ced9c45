package io.redisha.cluster;

import java.util.List;

/**
 * The deployment as observed at one moment: every Redis server by actual role, every Sentinel's
 * view, and whether it is ready (DESIGN.md) with the reasons when it is not.
 *
 * @param master         container name of the current master, or null when there is none to agree on
 * @param sentinelsAgree whether every running Sentinel names the same master
 * @param notReady       what keeps the deployment from being ready; empty when ready
 * @param starts         when each node last started and how often its engine restarted it; empty when
 *                       the backend cannot tell
 * @param warnings       what deserves a look without keeping the deployment from being ready (a node
 *                       restarted lately, one in a crash loop)
 */
public record ClusterStatus(String project, String network, List<NodeStatus> nodes, List<SentinelStatus> sentinels,
                            String master, boolean sentinelsAgree, boolean ready, List<String> notReady,
                            List<NodeStart> starts, List<String> warnings) {

    /** Without starts or warnings. */
    public ClusterStatus(String project, String network, List<NodeStatus> nodes, List<SentinelStatus> sentinels,
                         String master, boolean sentinelsAgree, boolean ready, List<String> notReady) {
        this(project, network, nodes, sentinels, master, sentinelsAgree, ready, notReady, List.of(), List.of());
    }
}
