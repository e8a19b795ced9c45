package io.redisha.report;

import io.redisha.cluster.ClusterStatus;
import io.redisha.cluster.NodeStart;
import io.redisha.cluster.NodeStatus;
import io.redisha.cluster.SentinelStatus;

/** Renders a {@link ClusterStatus} for people (text) or programs (JSON). */
public final class StatusReport {
    private static final String NL = System.lineSeparator();

    private StatusReport() {
    }

    public static String json(ClusterStatus status) {
        return Json.write(status);
    }

    /**
     * What a watcher compares to tell a change: roles, states, links, what each Sentinel names and
     * knows, readiness and its reasons, warnings; not what moves by itself (lag, "seconds ago").
     */
    public static String essence(ClusterStatus status) {
        StringBuilder key = new StringBuilder();
        for (NodeStatus n : status.nodes()) {
            key.append(n.name()).append(' ').append(n.role()).append(' ').append(n.state()).append(' ').append(n.replicaOf())
                    .append(' ').append(n.link()).append(' ').append(n.hostAddress()).append('\n');
        }
        for (SentinelStatus s : status.sentinels()) {
            key.append(s.name()).append(' ').append(s.state()).append(' ').append(s.master()).append(' ')
                    .append(s.replicas().size()).append(' ').append(s.otherSentinels().size()).append(' ').append(s.quorumOk())
                    .append(' ').append(s.error() != null).append('\n');
        }
        key.append(status.master()).append(' ').append(status.sentinelsAgree()).append(' ').append(status.ready()).append('\n');
        status.notReady().forEach(r -> key.append(r).append('\n'));
        status.warnings().stream().map(w -> w.replaceAll("[0-9]+s ago", "")).forEach(w -> key.append(w).append('\n'));
        return key.toString();
    }

    public static String text(ClusterStatus status) {
        TextTable nodes = new TextTable("SERVICE", "CONTAINER", "ROLE", "ADDRESS", "HOST PORT", "STATE", "LINK", "LAG");
        for (NodeStatus n : status.nodes()) {
            String link = n.replicaOf() == null ? null : n.link() + " to " + n.replicaOf();
            nodes.row(n.service(), n.name(), n.role(), n.address(), n.hostAddress(), n.state(), link,
                    n.lagSeconds() == null ? null : n.lagSeconds() + "s");
        }
        TextTable sentinels = new TextTable("SENTINEL", "ADDRESS", "HOST PORT", "STATE", "MASTER", "REPLICAS",
                "OTHER SENTINELS", "CKQUORUM");
        for (SentinelStatus s : status.sentinels()) {
            sentinels.row(s.name(), s.address(), s.hostAddress(), s.state(),
                    s.error() != null ? "error: " + s.error() : s.master(),
                    s.error() != null ? null : s.replicas().size(),
                    s.error() != null ? null : s.otherSentinels().size(),
                    s.error() != null ? null : (s.quorumOk() ? "OK" : "FAIL"));
        }
        StringBuilder out = new StringBuilder();
        out.append("project ").append(status.project()).append(", network ").append(status.network()).append(NL).append(NL);
        out.append(nodes).append(NL).append(sentinels).append(NL);
        if (!status.starts().isEmpty()) {
            TextTable starts = new TextTable("NODE", "RESTARTS", "LAST START");
            for (NodeStart s : status.starts()) {
                starts.row(s.name(), s.restarts() + (s.crashLoop() ? " (crash loop)" : ""),
                        s.lastStart() == null ? "never" : s.lastStart() + " (" + NodeStart.ago(s.secondsSinceStart()) + " ago)");
            }
            out.append(starts).append(NL);
        }
        if (status.certificate() != null) {
            ClusterStatus.CertificateExpiry c = status.certificate();
            out.append("tls: every connection; the first certificate to expire is ").append(c.node()).append("'s, on ")
                    .append(c.notAfter()).append(" (").append(c.daysLeft()).append(" days)").append(NL);
        }
        status.warnings().forEach(w -> out.append("warning: ").append(w).append(NL));
        out.append("master: ").append(status.master() == null ? "none" : status.master())
                .append(status.sentinelsAgree() ? " (all sentinels agree)" : " (sentinels disagree)").append(NL);
        if (status.ready()) {
            out.append("ready").append(NL);
        } else {
            out.append("NOT READY:").append(NL);
            status.notReady().forEach(r -> out.append("  - ").append(r).append(NL));
        }
        return out.toString();
    }
}
