package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * metrics.enabled on the real engine: an exporter beside every node, logged in from its password file,
 * listed by connect --output prometheus; it follows a failover, comes with a new replica and goes with down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class MetricsIT {
    private static final String REDIS_PASSWORD = "metrics-redis-pw";
    private static final String SENTINEL_PASSWORD = "metrics-sentinel-pw";
    private static final String TOPOLOGY = """
            replicas: 2
            sentinels: 3
            auth:
              password-file: redis.pass
              sentinel-password-file: sentinel.pass
            metrics:
              enabled: true
            """;
    private static final Pattern ROLE = Pattern.compile("^redis_instance_info\\{[^}]*role=\"([a-z]+)\"", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @RegisterExtension
    final Deployment others = Deployment.none();

    @RegisterExtension
    static final Deployment deployment = Deployment.of("it-metrics", TOPOLOGY)
            .withSecretFile("redis.pass", REDIS_PASSWORD).withSecretFile("sentinel.pass", SENTINEL_PASSWORD).up();

    /** The file_sd targets by node name: its address, and its labels. */
    private static Map<String, JsonNode> targets() throws Exception {
        return targets(deployment.project(), deployment.run("connect", "--output", "prometheus"));
    }

    private static Map<String, JsonNode> targets(String project, Cli.Result r) throws Exception {
        assertEquals(0, r.exitCode(), r.toString());
        Map<String, JsonNode> byNode = new LinkedHashMap<>();
        for (JsonNode group : new ObjectMapper().readTree(r.out())) {
            assertEquals(1, group.get("targets").size(), group.toString());
            assertEquals(project, group.get("labels").get("redisha_project").asText(), group.toString());
            byNode.put(group.get("labels").get("redisha_node").asText(), group);
        }
        return byNode;
    }

    private static String scrape(JsonNode target) throws Exception {
        String address = target.get("targets").get(0).asText();
        assertTrue(address.startsWith("127.0.0.1:"), address);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                break;
            } catch (java.io.IOException e) {
                // an exporter just created again (a new password) may not listen yet: its port closes the connection
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
        assertEquals(200, response.statusCode(), address);
        return response.body();
    }

    private static String role(String metrics) {
        Matcher m = ROLE.matcher(metrics);
        return m.find() ? m.group(1) : null;
    }

    private static String name(String service, int index) {
        return deployment.project() + "-" + service + "-" + index;
    }

    @Test
    @Order(1)
    void everyExporterAnswersLoggedInAndHoldsNoPasswordInSight() throws Exception {
        Map<String, JsonNode> targets = targets();
        assertEquals(List.of(name("master", 1), name("replica", 1), name("replica", 2), name("sentinel", 1),
                name("sentinel", 2), name("sentinel", 3)), List.copyOf(targets.keySet()));
        for (JsonNode target : targets.values()) {
            String metrics = scrape(target);
            assertTrue(metrics.lines().anyMatch("redis_up 1"::equals), target + " scrapes its node:\n" + metrics);
            if (target.get("labels").get("redisha_kind").asText().equals("sentinel")) {
                assertTrue(metrics.lines().anyMatch("redis_sentinel_masters 1"::equals), target + ":\n" + metrics);
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("redis_sentinel_master_sentinels{") && l.endsWith(" 3")),
                        target + " counts the 3 Sentinels:\n" + metrics);
                // what docs/prometheus/redisha-alerts.yml reads
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("redis_sentinel_master_status{") && l.contains("master_address=")
                        && l.contains("master_status=\"ok\"") && l.endsWith(" 1")), target + ":\n" + metrics);
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("redis_sentinel_master_ckquorum_status{") && l.endsWith(" 1")),
                        target + ":\n" + metrics);
            } else if (target.get("labels").get("redisha_service").asText().equals("master")) {
                assertEquals("master", role(metrics), target.toString());
            } else {
                assertEquals("slave", role(metrics), target.toString());
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("redis_master_link_up{") && l.endsWith(" 1")),
                        target + ":\n" + metrics);
            }
        }
        for (Container c : Engine.containers(deployment.project())) {
            if (!c.getLabels().containsKey("io.redisha.exporter-of")) {
                continue;
            }
            InspectContainerResponse inspect = Engine.inspect(c.getId());
            String seen = String.join(" ", inspect.getConfig().getCmd()) + " " + inspect.getConfig().getLabels()
                    + " " + String.join(" ", inspect.getConfig().getEnv() == null ? new String[0] : inspect.getConfig().getEnv());
            assertFalse(seen.contains(REDIS_PASSWORD) || seen.contains(SENTINEL_PASSWORD), seen);
            assertEquals("600 59000:59000", modeAndOwner(c.getId(), "/etc/redis_exporter/password.json"), c.getNames()[0]);
        }
    }

    /** A file's mode and owner, from the engine's archive of it (the exporter's image has no shell). */
    private static String modeAndOwner(String id, String path) throws Exception {
        try (var in = Engine.client().copyArchiveFromContainerCmd(id, path).exec();
             var tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry = tar.getNextEntry();
            return Integer.toOctalString(entry.getMode() & 0777) + " " + entry.getLongUserId() + ":" + entry.getLongGroupId();
        }
    }

    @Test
    @Order(2)
    void afterAFailoverThePromotedNodesExporterSaysMasterAndTheOldMastersReplica() throws Exception {
        String oldMaster = name("master", 1);
        Container sentinel = Engine.container(deployment.project(), "sentinel", 1);
        try (Jedis s = Probe.sentinel(sentinel.getId())) {
            s.auth(SENTINEL_PASSWORD);
            assertEquals("OK", s.sentinelFailover("mymaster"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        String promoted = null;
        Map<String, String> roles = Map.of();
        while (System.nanoTime() < deadline) {
            Map<String, String> now = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> t : targets().entrySet()) {
                if (!t.getValue().get("labels").get("redisha_kind").asText().equals("sentinel")) {
                    now.put(t.getKey(), role(scrape(t.getValue())));
                }
            }
            roles = now;
            List<String> masters = now.entrySet().stream().filter(e -> "master".equals(e.getValue())).map(Map.Entry::getKey).toList();
            if (masters.size() == 1 && !masters.get(0).equals(oldMaster) && "slave".equals(now.get(oldMaster))) {
                promoted = masters.get(0);
                break;
            }
            Thread.sleep(500);
        }
        if (promoted == null) {
            fail("the exporters never showed a promoted replica and the old master as a replica: " + roles);
        }
        try (Jedis j = Probe.redis(Engine.container(deployment.project(), promoted.contains("-replica-") ? "replica" : "master",
                Integer.parseInt(promoted.substring(promoted.lastIndexOf('-') + 1))).getId())) {
            j.auth(REDIS_PASSWORD);
            assertEquals("master", Probe.info(j).get("role"), promoted + " is the master the exporters say it is");
        }
    }

    @Test
    @Order(3)
    void scaleAddsAnExporterANewPasswordReachesThemAndDownRemovesThemAll() throws Exception {
        Cli.Result scaled = deployment.run("scale", "replica=3");
        assertEquals(0, scaled.exitCode(), scaled.toString());
        JsonNode added = targets().get(name("replica", 3));
        assertTrue(added != null, "the new replica's exporter is a target");
        assertTrue(scrape(added).lines().anyMatch("redis_up 1"::equals));

        // a new password, rotated in place: the exporters get it too
        java.nio.file.Files.writeString(deployment.topology().resolveSibling("redis.pass"), "new-" + REDIS_PASSWORD);
        Cli.Result rotated = deployment.run("up");
        assertEquals(0, rotated.exitCode(), rotated.toString());
        assertTrue(rotated.err().contains("replacing the exporter of " + name("replica", 3)), rotated.toString());
        for (JsonNode target : targets().values()) {
            assertTrue(scrape(target).lines().anyMatch("redis_up 1"::equals), target + " logs in with the new password");
        }

        Cli.Result down = deployment.run("down");
        assertEquals(0, down.exitCode(), down.toString());
        assertEquals(List.of(), Engine.containers(deployment.project()).stream().map(c -> c.getNames()[0]).toList());
    }

    @Test
    @Order(4)
    void withMutualTlsAndFixedPortsTheExportersSpeakTlsAtTheirSlotsPortsCheckedBeforeAnythingIsCreated() throws Exception {
        int first;
        Cli tls;
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            first = taken.getLocalPort() - 50; // Sentinel 1's exporter takes metrics.port + 50
            tls = others.create("it-metrics-tls", """
                    replicas: 1
                    sentinels: {count: 1, quorum: 1}
                    tls: {enabled: true, auth-clients: yes}
                    metrics: {enabled: true, port: %d}
                    """.formatted(first));
            Cli.Result refused = tls.run("up");
            assertEquals(3, refused.exitCode(), refused.toString());
            assertTrue(refused.err().contains("metrics.port: port " + taken.getLocalPort() + " of the exporter of sentinel 1"
                    + " on 127.0.0.1 is already in use"), refused.toString());
            Engine.assertNothingOf(tls.project());
        }
        Cli.Result up = tls.run("up");
        assertEquals(0, up.exitCode(), up.toString());
        Map<String, JsonNode> targets = targets(tls.project(), tls.run("connect", "--output", "prometheus"));
        Map<String, String> listed = new java.util.TreeMap<>();
        targets.forEach((node, t) -> listed.put(node, t.get("targets").get(0).asText()));
        assertEquals(new java.util.TreeMap<>(Map.of(tls.project() + "-master-1", "127.0.0.1:" + first,
                tls.project() + "-replica-1", "127.0.0.1:" + (first + 1),
                tls.project() + "-sentinel-1", "127.0.0.1:" + (first + 50))), listed);
        for (JsonNode target : targets.values()) {
            String metrics = scrape(target);
            assertTrue(metrics.lines().anyMatch("redis_up 1"::equals), target + " scrapes its node over TLS:\n" + metrics);
        }
        Cli.Result scaled = tls.run("scale", "replica=2");
        assertEquals(0, scaled.exitCode(), scaled.toString());
        Map<String, String> after = new java.util.TreeMap<>();
        targets(tls.project(), tls.run("connect", "--output", "prometheus"))
                .forEach((node, t) -> after.put(node, t.get("targets").get(0).asText()));
        Map<String, String> grown = new java.util.TreeMap<>(listed);
        grown.put(tls.project() + "-replica-2", "127.0.0.1:" + (first + 2));
        assertEquals(grown, after, "the targets already listed stay, the new replica's comes at its slot's port");
    }

    @Test
    @Order(5)
    void withUsersTheExportersLogInAsTheirOwnUserAndAreRefusedNothing() throws Exception {
        String body = """
                replicas: 1
                sentinels: {count: 1, quorum: 1}
                metrics: {enabled: true}
                auth:
                  users:
                """;
        for (String user : List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery", "metrics")) {
            body += "    " + user + ": {password-file: " + user + ".pass}\n";
        }
        Cli acl = others.create("it-metrics-acl", body);
        for (String user : List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery", "metrics")) {
            java.nio.file.Path file = acl.topology().resolveSibling(user + ".pass");
            java.nio.file.Files.writeString(file, "pw-of-" + user);
            java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        Cli.Result up = acl.run("up");
        assertEquals(0, up.exitCode(), up.toString());
        Map<String, JsonNode> targets = targets(acl.project(), acl.run("connect", "--output", "prometheus"));
        assertEquals(3, targets.size(), targets.toString());
        for (JsonNode target : targets.values()) {
            String metrics = scrape(target);
            scrape(target);
            assertTrue(metrics.lines().anyMatch("redis_up 1"::equals), target + ":\n" + metrics);
        }
        assertTrue(scrape(targets.get(acl.project() + "-sentinel-1")).lines()
                .anyMatch(l -> l.startsWith("redis_sentinel_master_ckquorum_status{") && l.endsWith(" 1")));
        for (Container c : Engine.containers(acl.project())) {
            String service = c.getLabels().get("io.redisha.service");
            if (service == null) {
                continue;
            }
            try (Jedis j = service.equals("sentinel") ? Probe.sentinel(c.getId()) : Probe.redis(c.getId())) {
                j.auth("redisha", "pw-of-redisha");
                List<String> refused = j.aclLog().stream().filter(e -> "metrics".equals(e.getUsername()))
                        .map(e -> e.getContext() + " " + e.getObject()).toList();
                assertEquals(List.of(), refused, c.getNames()[0] + " refused the exporter");
            }
        }

        // a new password for metrics: rotated in place on the nodes, and the exporters given it
        java.nio.file.Files.writeString(acl.topology().resolveSibling("metrics.pass"), "new pw of metrics");
        Cli.Result rotated = acl.run("up");
        assertEquals(0, rotated.exitCode(), rotated.toString());
        assertTrue(rotated.err().contains("replacing the exporter of " + acl.project() + "-sentinel-1"), rotated.toString());
        for (JsonNode target : targets(acl.project(), acl.run("connect", "--output", "prometheus")).values()) {
            String metrics = scrape(target);
            assertTrue(metrics.lines().anyMatch("redis_up 1"::equals), target + " logs in with the new password:\n" + metrics);
        }
    }
}
