package io.redisha.report;

import io.redisha.cluster.Plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the {@link Plan} of {@code up --dry-run} for people (one step a line) or programs (JSON). */
public final class PlanReport {
    private static final String NL = System.lineSeparator();

    private PlanReport() {
    }

    /** @param allowDowntime whether a refusal is overridden (up --allow-downtime) */
    public static String text(Plan plan, boolean allowDowntime) {
        StringBuilder out = new StringBuilder();
        if (plan.isEmpty()) {
            out.append("nothing to do: project ").append(plan.project()).append(" matches the topology").append(NL);
        }
        int i = 1;
        for (Plan.Step step : plan.steps()) {
            out.append(i++).append(". ").append(step.describe()).append(NL);
        }
        if (plan.refusal() != null && allowDowntime) {
            out.append("with downtime: ").append(plan.refusal())
                    .append("; every node is removed first, then created again from the topology").append(NL);
        } else if (plan.refusal() != null) {
            out.append("refused: ").append(plan.refusal()).append(" (up --allow-downtime removes and recreates every node)")
                    .append(NL);
        }
        return out.toString();
    }

    public static String json(Plan plan) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project", plan.project());
        List<Map<String, String>> steps = plan.steps().stream().map(s -> {
            Map<String, String> step = new LinkedHashMap<>();
            step.put("action", s.action().label());
            step.put("node", s.node());
            step.put("detail", s.detail());
            return step;
        }).toList();
        out.put("steps", steps);
        out.put("refusal", plan.refusal());
        return Json.write(out);
    }
}
