package io.redisha.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.cluster.Plan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanReportTest {
    private static final Plan ROLL = new Plan("shop", List.of(
            new Plan.Step(Plan.Action.CHANGE, "shop-sentinel-1", "down-after-milliseconds 5000 -> 4000"),
            new Plan.Step(Plan.Action.REPLACE, "shop-replica-1", "image redis:7 -> redis:8"),
            new Plan.Step(Plan.Action.SWITCHOVER, "shop-master-1", "to shop-replica-1")), null);

    @Test
    void textListsTheStepsInOrder() {
        assertEquals(String.join(System.lineSeparator(),
                "1. change shop-sentinel-1: down-after-milliseconds 5000 -> 4000",
                "2. replace shop-replica-1: image redis:7 -> redis:8",
                "3. switchover shop-master-1: to shop-replica-1", ""), PlanReport.text(ROLL, false));
        assertTrue(PlanReport.text(new Plan("shop", List.of(), null), false).startsWith("nothing to do"));
    }

    @Test
    void aRefusalIsSaidAndWhatDowntimeWouldDoInstead() {
        Plan refused = new Plan("shop", ROLL.steps(), "no replica to switch over to");
        assertTrue(PlanReport.text(refused, false).contains("refused: no replica to switch over to"));
        assertTrue(PlanReport.text(refused, true).contains("with downtime: no replica to switch over to; every node is removed first"));
    }

    @Test
    void jsonHasTheActionsInLowerCase() throws Exception {
        JsonNode json = new ObjectMapper().readTree(PlanReport.json(ROLL));
        assertEquals("shop", json.get("project").asText());
        assertEquals("replace", json.get("steps").get(1).get("action").asText());
        assertEquals("shop-replica-1", json.get("steps").get(1).get("node").asText());
        assertTrue(json.get("refusal").isNull());
    }
}
