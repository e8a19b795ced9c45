package io.redisha.report;

import io.redisha.cluster.MetricsTargets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The deployment's exporters as a Prometheus {@code file_sd_configs} target file (docs/metrics.md). */
public final class MetricsReport {
    private MetricsReport() {
    }

    /**
     * A JSON list with one entry per exporter: its address under {@code targets} and labels naming the
     * project, the node, the node's service and whether it is a Redis node or a Sentinel.
     */
    public static String fileSd(MetricsTargets targets) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (MetricsTargets.Target t : targets.targets()) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("redisha_project", targets.project());
            labels.put("redisha_node", t.node());
            labels.put("redisha_service", t.service());
            labels.put("redisha_kind", t.kind());
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("targets", List.of(t.address()));
            group.put("labels", labels);
            groups.add(group);
        }
        return Json.write(groups);
    }
}
