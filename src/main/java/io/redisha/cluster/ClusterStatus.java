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
 *                       restarted lately, one in a crash loop, a certificate about to expire)
 * @param certificate    the node certificate that expires first, as the nodes serve them; null
 *                       without TLS
 */
public record ClusterStatus(String project, String network, List<NodeStatus> nodes, List<SentinelStatus> sentinels,
                            String master, boolean sentinelsAgree, boolean ready, List<String> notReady,
                            List<NodeStart> starts, List<String> warnings, CertificateExpiry certificate) {

    /**
     * When a node's certificate expires.
     *
     * @param notAfter        the end of its validity, ISO-8601
     * @param daysLeft        whole days from now until then (negative once expired)
     * @param renewWithinDays {@code up} renews it once fewer days are left
     */
    public record CertificateExpiry(String node, String notAfter, long daysLeft, int renewWithinDays) {
        /** What status warns about: expired, or due for renewal; null when neither. */
        public String warning() {
            if (daysLeft < 0) {
                return "the certificate of " + node + " expired on " + notAfter + ": run redisha up to renew it";
            }
            if (daysLeft < renewWithinDays) {
                return "the certificate of " + node + " expires in " + daysLeft + " days (" + notAfter
                        + "): redisha up renews it in place";
            }
            return null;
        }
    }

    public ClusterStatus(String project, String network, List<NodeStatus> nodes, List<SentinelStatus> sentinels,
                         String master, boolean sentinelsAgree, boolean ready, List<String> notReady,
                         List<NodeStart> starts, List<String> warnings) {
        this(project, network, nodes, sentinels, master, sentinelsAgree, ready, notReady, starts, warnings, null);
    }

    /** With the certificate that expires first, and its warning. */
    public ClusterStatus withCertificate(CertificateExpiry expiry) {
        if (expiry == null) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(warnings);
        if (expiry.warning() != null) {
            all.add(expiry.warning());
        }
        return new ClusterStatus(project, network, nodes, sentinels, master, sentinelsAgree, ready, notReady, starts,
                List.copyOf(all), expiry);
    }

    /** With one more warning. */
    public ClusterStatus withWarning(String warning) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.add(warning);
        return new ClusterStatus(project, network, nodes, sentinels, master, sentinelsAgree, ready, notReady, starts,
                List.copyOf(all), certificate);
    }

    /** Without starts or warnings. */
    public ClusterStatus(String project, String network, List<NodeStatus> nodes, List<SentinelStatus> sentinels,
                         String master, boolean sentinelsAgree, boolean ready, List<String> notReady) {
        this(project, network, nodes, sentinels, master, sentinelsAgree, ready, notReady, List.of(), List.of());
    }
}
