package io.redisha.report;

import io.redisha.cluster.MetricsTargets;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricsReportTest {

    @Test
    void theFileSdListHasOneGroupPerExporterWithTheProjectsLabels() {
        MetricsTargets targets = new MetricsTargets("shop", List.of(
                new MetricsTargets.Target("127.0.0.1:32001", "shop-master-1", "master", "redis"),
                new MetricsTargets.Target("127.0.0.1:32003", "shop-sentinel-1", "sentinel", "sentinel")));
        assertEquals("""
                [ {
                  "targets" : [ "127.0.0.1:32001" ],
                  "labels" : {
                    "redisha_project" : "shop",
                    "redisha_node" : "shop-master-1",
                    "redisha_service" : "master",
                    "redisha_kind" : "redis"
                  }
                }, {
                  "targets" : [ "127.0.0.1:32003" ],
                  "labels" : {
                    "redisha_project" : "shop",
                    "redisha_node" : "shop-sentinel-1",
                    "redisha_service" : "sentinel",
                    "redisha_kind" : "sentinel"
                  }
                } ]
                """.replace("\n", System.lineSeparator()), MetricsReport.fileSd(targets));
    }
}
