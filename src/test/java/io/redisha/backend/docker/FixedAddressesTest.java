package io.redisha.backend.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Network;
import io.redisha.backend.AddressRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a project's network keeps addresses for fixed assignment, and when an image need not be built again. */
class FixedAddressesTest {

    /** A network as the engine lists it, with this IPAM configuration. */
    private static Network network(Network.Ipam.Config config) {
        try {
            ObjectMapper json = new ObjectMapper();
            return json.readValue(json.writeValueAsString(Map.of("IPAM", new Network.Ipam().withConfig(List.of(config)))),
                    Network.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theUpperHalfOfTheSubnetIsForTheEngineAndTheLowerHalfForFixedAddresses() {
        Network.Ipam.Config config = FixedAddresses.configFor("172.19.0.0/16", "172.19.0.1").orElseThrow();
        assertEquals("172.19.128.0/17", config.getIpRange());
        assertEquals("172.19.0.1", config.getGateway());
        assertEquals(Optional.of(new AddressRange("172.19.0.2", 32766)), FixedAddresses.of(network(config)));

        Network.Ipam.Config small = FixedAddresses.configFor("192.168.80.0/20", "192.168.80.1").orElseThrow();
        assertEquals("192.168.88.0/21", small.getIpRange());
        assertEquals(Optional.of(new AddressRange("192.168.80.2", 2046)), FixedAddresses.of(network(small)));
    }

    @Test
    void aNetworkTheEngineConfiguredAloneHasNoFixedAddresses() {
        Network picked = network(new Network.Ipam.Config().withSubnet("172.19.0.0/16").withGateway("172.19.0.1"));
        assertEquals(Optional.empty(), FixedAddresses.of(picked));
        assertEquals(Optional.empty(), FixedAddresses.configFor("10.0.0.0/29", "10.0.0.1"), "too small to split");
        assertEquals(Optional.empty(), FixedAddresses.configFor("fd00::/64", "fd00::1"), "IPv4 only");
    }

    @Test
    void anImageIsBuiltAgainOnlyWhenAFileAnArgumentOrTheBaseImageChanged(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM ${REDIS_IMAGE}\n");
        Files.writeString(dir.resolve("sentinel.conf"), "port 26379\n");
        Map<String, String> args = Map.of("REDIS_IMAGE", "redis:7");
        String digest = BuildInputs.digest(dir, args, image -> "sha256:1");
        assertEquals(digest, BuildInputs.digest(dir, args, image -> "sha256:1"));
        assertTrue(digest.matches("[0-9a-f]{64}"), digest);
        assertNotEquals(digest, BuildInputs.digest(dir, args, image -> "sha256:2"), "the base image was re-tagged");
        assertNotEquals(digest, BuildInputs.digest(dir, Map.of("REDIS_IMAGE", "redis:8"), image -> "sha256:1"));
        Files.writeString(dir.resolve("sentinel.conf"), "port 26380\n");
        assertNotEquals(digest, BuildInputs.digest(dir, args, image -> "sha256:1"));
    }
}
