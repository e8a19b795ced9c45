package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Container;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on Redis 8 and Valkey 8 (TlsIT covers Redis 7 in depth): up is ready (as status says: the
 * tests' Probe speaks plaintext) with every node serving
 * TLS only, and the node's own cli reaches the others over TLS and not in plaintext. Failovers over
 * TLS are TlsIT's (one server suffices: TLS is the same OpenSSL code in all three).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class TlsImagesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final Deployment deployments = Deployment.none();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"redis:8", "valkey/valkey:8"})
    void upWithTlsOnly(String image) throws Exception {
        Cli project = deployments.create("it-tlsimg", """
                image: %s
                sentinels:
                  down-after-milliseconds: 3000
                  failover-timeout: 5000
                tls:
                  enabled: true
                  auth-clients: optional
                """.formatted(image));
        Cli.Result up = project.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Cli.Result status = project.run("status", "--output", "json");
        assertEquals(0, status.exitCode(), status::toString);
        JsonNode s = JSON.readTree(status.out());
        assertTrue(s.get("ready").asBoolean(), status::toString);
        assertTrue(s.get("certificate").get("daysLeft").asLong() >= 364, status::toString);

        String cli = image.startsWith("valkey") ? "valkey-cli" : "redis-cli";
        Container master = Engine.containers(project.project()).stream()
                .filter(c -> List.of(c.getNames()).contains("/" + s.get("master").asText())).findFirst().orElseThrow();
        List<Container> others = new ArrayList<>(Probe.byService(project.project(), "replica"));
        others.addAll(Probe.byService(project.project(), "sentinel"));
        for (Container c : others) {
            String ip = Engine.ip(c.getId());
            String port = c.getLabels().getOrDefault("io.redisha.service", "").equals("sentinel") ? "26379" : "6379";
            String plain = Engine.exec(master.getId(), cli, "-h", ip, "-p", port, "PING");
            assertFalse(plain.contains("PONG"), image + ": plaintext PING to " + ip + ":" + port + " answered: " + plain);
            // optional client certificates: the CA alone is enough
            String tls = Engine.exec(master.getId(), cli, "--tls", "--cacert", "/data/tls/ca.crt", "-h", ip, "-p", port, "PING");
            assertTrue(tls.contains("PONG"), image + ": " + cli + " --tls to " + ip + ":" + port + ": " + tls);
        }
    }
}
