package io.redisha.cluster;

import io.redisha.backend.Endpoint;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.topology.PasswordSources;
import io.redisha.topology.Topology;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClientAccessTest {
    private static Node node(Service service, int index, String ip, int port, NodeState state) {
        return new Node("id" + index, "shop-" + service.label() + "-" + index, service, index, state, ip,
                state == NodeState.RUNNING ? new Endpoint("127.0.0.1", port) : null, "redis:7", null);
    }

    private static final Deployment DEPLOYMENT = new Deployment("shop", "shop-net", List.of(
            node(Service.MASTER, 1, "10.0.0.2", 32001, NodeState.RUNNING),
            node(Service.SENTINEL, 1, "10.0.0.5", 32005, NodeState.RUNNING),
            node(Service.SENTINEL, 2, null, 0, NodeState.EXITED)));

    @Test
    void theRunningSentinelsAndEveryNameOfANodeMappedToWhereItIsDialled() {
        ClientAccess access = ClientAccess.of(DEPLOYMENT, Topology.defaults(), PasswordSources.none(), ClusterTls.none());
        assertEquals(List.of("127.0.0.1:32005"), access.sentinels());
        assertEquals("mymaster", access.masterName());
        assertEquals(Map.of("10.0.0.2:6379", "127.0.0.1:32001", "shop-master-1:6379", "127.0.0.1:32001",
                "redis-master:6379", "127.0.0.1:32001", "10.0.0.5:26379", "127.0.0.1:32005",
                "shop-sentinel-1:26379", "127.0.0.1:32005"), access.addressMap());
        assertNull(access.redisPassword());
    }

    @Test
    void theEnvironmentNamesWhereThePasswordsAreNeverThePasswords() {
        PasswordSources sources = new PasswordSources(null, Path.of("/etc/redis/pass"), "SENTINEL_PW", null);
        Map<String, String> env = ClientAccess.of(DEPLOYMENT, Topology.defaults(), sources, ClusterTls.none()).environment();
        assertEquals(List.of("REDISHA_PROJECT", "REDISHA_MASTER_NAME", "REDISHA_SENTINELS", "REDISHA_ADDRESS_MAP",
                "REDISHA_PASSWORD_FILE", "REDISHA_SENTINEL_PASSWORD_ENV"), List.copyOf(env.keySet()));
        assertEquals("127.0.0.1:32005", env.get("REDISHA_SENTINELS"));
        assertEquals("10.0.0.2:6379=127.0.0.1:32001,10.0.0.5:26379=127.0.0.1:32005,redis-master:6379=127.0.0.1:32001,"
                + "shop-master-1:6379=127.0.0.1:32001,shop-sentinel-1:26379=127.0.0.1:32005", env.get("REDISHA_ADDRESS_MAP"));
        assertEquals("/etc/redis/pass", env.get("REDISHA_PASSWORD_FILE"));
        assertEquals("SENTINEL_PW", env.get("REDISHA_SENTINEL_PASSWORD_ENV"));
    }
}
