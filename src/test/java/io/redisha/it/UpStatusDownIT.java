package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** up / status / down of the default topology on the real engine; one deployment walked through its life. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class UpStatusDownIT {
    @RegisterExtension
    static final Deployment deployment = Deployment.of("it-up", "");

    private static Set<String> ids() {
        return Engine.containers(deployment.project()).stream().map(Container::getId).collect(Collectors.toSet());
    }

    @Test
    @Order(1)
    void upBringsTheDefaultTopologyToReady() {
        Cli.Result up = deployment.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.out().contains("ready"), up::toString);
        Probe.assertReady(deployment.project(), 2, 3);
        for (Container c : Engine.containers(deployment.project())) {
            String name = c.getNames()[0].substring(1);
            String service = c.getLabels().get("io.redisha.service");
            assertEquals(deployment.project() + "-" + service + "-" + c.getLabels().get("io.redisha.index"), name);
            for (var port : c.getPorts()) {
                if (port.getPublicPort() != null) {
                    assertEquals("127.0.0.1", port.getIp(), name + " publishes on loopback only");
                }
            }
        }
        assertEquals(1, Engine.networks(deployment.project()).size());
    }

    @Test
    @Order(2)
    void secondUpRecreatesNothing() {
        Set<String> before = ids();
        Cli.Result up = deployment.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertEquals(before, ids());
        assertFalse(up.err().contains("creating"), up::toString);
    }

    @Test
    @Order(3)
    void statusJsonReportsRolesAndSentinelView() throws Exception {
        Cli.Result status = deployment.run("status", "--output", "json");
        assertEquals(0, status.exitCode(), status::toString);
        JsonNode json = new ObjectMapper().readTree(status.out());
        assertTrue(json.get("ready").asBoolean());
        assertTrue(json.get("sentinelsAgree").asBoolean());
        assertEquals(deployment.project() + "-master-1", json.get("master").asText());
        assertEquals(3, json.get("nodes").size());
        assertEquals(3, json.get("sentinels").size());
        for (JsonNode node : json.get("nodes")) {
            boolean isMaster = node.get("name").asText().endsWith("master-1");
            assertEquals(isMaster ? "master" : "replica", node.get("role").asText());
            assertEquals("running", node.get("state").asText());
            assertTrue(node.get("hostAddress").asText().startsWith("127.0.0.1:"));
            if (!isMaster) {
                assertEquals("up", node.get("link").asText());
                assertEquals(deployment.project() + "-master-1", node.get("replicaOf").asText());
            }
        }
        for (JsonNode s : json.get("sentinels")) {
            assertEquals(deployment.project() + "-master-1", s.get("master").asText());
            assertEquals(2, s.get("replicas").size());
            assertEquals(2, s.get("otherSentinels").size());
            assertTrue(s.get("quorumOk").asBoolean());
        }
    }

    @Test
    @Order(4)
    void upRepairsNodesRemovedStoppedOrPausedByHand() {
        Container replica = Engine.container(deployment.project(), "replica", 2);
        Container sentinel = Engine.container(deployment.project(), "sentinel", 3);
        Container sentinel2 = Engine.container(deployment.project(), "sentinel", 2);
        Engine.client().removeContainerCmd(replica.getId()).withForce(true).exec();
        Engine.client().pauseContainerCmd(sentinel.getId()).exec();
        Engine.client().stopContainerCmd(sentinel2.getId()).withTimeout(2).exec();

        Cli.Result status = deployment.run("status");
        assertEquals(5, status.exitCode(), status::toString);
        assertTrue(status.out().contains("NOT READY"), status::toString);

        Cli.Result up = deployment.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("creating " + deployment.project() + "-replica-2"), up::toString);
        Probe.assertReady(deployment.project(), 2, 3);
    }

    @Test
    @Order(5)
    void aStoppedMasterWithoutPersistenceStartsOnlyAfterSentinelPromotedAReplica() {
        Container master = Probe.master(deployment.project());
        Probe.writeKeys(master.getId(), "keep:", 100, 2);
        Engine.client().stopContainerCmd(master.getId()).withTimeout(1).exec();

        // started at once, the empty master would be copied by its replicas: every key gone
        Cli.Result up = deployment.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("not starting " + master.getNames()[0].substring(1) + " yet"), up::toString);
        Container now = Probe.master(deployment.project());
        assertNotEquals(master.getId(), now.getId(), "Sentinel promoted a replica");
        Probe.assertReady(deployment.project(), 2, 3);
        for (String id : List.of(now.getId(), master.getId())) {
            try (Jedis j = Probe.redis(id)) {
                assertEquals(100, j.dbSize(), "no key lost on " + id);
            }
        }
    }

    @Test
    @Order(6)
    void downRemovesEveryLabelledContainerAndNetwork() {
        Cli.Result down = deployment.run("down");
        assertEquals(0, down.exitCode(), down::toString);
        Engine.assertNothingOf(deployment.project());
        Cli.Result status = deployment.run("status");
        assertEquals(6, status.exitCode(), status::toString);
    }
}
