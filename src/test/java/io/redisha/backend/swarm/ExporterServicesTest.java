package io.redisha.backend.swarm;

import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.ServiceSpec;
import io.redisha.backend.ExporterSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ExporterServicesTest {
    private static final String PASSWORD = "exporter secret pw";
    private static final ExporterSpec EXPORTER = new ExporterSpec("oliver006/redis_exporter:v1.45.0",
            List.of("--redis.addr=rediss://p-replica-1:6379", "--redis.password-file=/etc/redis_exporter/password.json"),
            Map.of("/etc/redis_exporter/password.json", ("{\"x\":\"" + PASSWORD + "\"}").getBytes(StandardCharsets.UTF_8),
                    "/etc/redis_exporter/tls/client.key", "-----BEGIN PRIVATE KEY-----".getBytes(StandardCharsets.UTF_8)),
            9121, 9122);

    @Test
    void theExporterRunsOnItsNodesHostWithItsFilesAsSecretsOnlyItsUserReads() {
        List<String> made = new ArrayList<>();
        ServiceSpec spec = ExporterServices.spec("p", "p-replica-1", "lab-host-2", EXPORTER, "59000:59000", (name, content) -> {
            made.add(name);
            return "id-" + made.size();
        });
        assertEquals("p-replica-1-exporter", spec.getName());
        assertEquals(Map.of("io.redisha.project", "p", "io.redisha.exporter-of", "p-replica-1"), spec.getLabels());
        assertEquals(List.of("node.hostname==lab-host-2"), spec.getTaskTemplate().getPlacement().getConstraints());
        assertEquals("p-net", spec.getTaskTemplate().getNetworks().get(0).getTarget());
        PortConfig port = spec.getEndpointSpec().getPorts().get(0);
        assertEquals(List.of(9121, 9122, PortConfig.PublishMode.host), List.of(port.getTargetPort(), port.getPublishedPort(),
                port.getPublishMode()));
        assertEquals(EXPORTER.cmd(), spec.getTaskTemplate().getContainerSpec().getArgs());
        List<ContainerSpecSecret> secrets = spec.getTaskTemplate().getContainerSpec().getSecrets();
        assertEquals(List.of("/etc/redis_exporter/password.json", "/etc/redis_exporter/tls/client.key"),
                secrets.stream().map(s -> s.getFile().getName()).toList());
        for (ContainerSpecSecret s : secrets) {
            assertEquals(List.of("59000", "59000", 0400L), List.of(s.getFile().getUid(), s.getFile().getGid(), s.getFile().getMode()));
            assertEquals(true, made.contains(s.getSecretName()));
        }
        assertFalse(spec.toString().contains(PASSWORD) || spec.toString().contains("PRIVATE KEY"), spec.toString());
    }

    @Test
    void withARootImageTheFilesBelongToRoot() {
        ServiceSpec spec = ExporterServices.spec("p", "p-sentinel-1", "h", EXPORTER, null, (name, content) -> "id");
        spec.getTaskTemplate().getContainerSpec().getSecrets()
                .forEach(s -> assertEquals(List.of("0", "0"), List.of(s.getFile().getUid(), s.getFile().getGid())));
    }
}
