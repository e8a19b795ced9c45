package io.redisha.failover;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SentinelRepairTest {
    private static Map<String, String> replica(String name, String ip) {
        return Map.of("name", name, "ip", ip, "port", "6379");
    }

    @Test
    void theOldMasterUnderAnUnresolvedNameIsStale() {
        // as SENTINEL REPLICAS listed it after the master-service container was cut off and reconnected
        List<Map<String, String>> listed = List.of(
                replica("172.22.0.2:6379", "172.22.0.2"),
                replica(":6379", "172.22.0.2"),
                replica("172.22.0.3:6379", "172.22.0.3"));
        assertEquals(List.of(":6379"), SentinelRepair.staleEntries(listed));
    }

    @Test
    void aHealthyListHasNoStaleEntry() {
        assertEquals(List.of(), SentinelRepair.staleEntries(List.of(
                replica("172.22.0.2:6379", "172.22.0.2"), replica("172.22.0.3:6379", "172.22.0.3"))));
    }

    @Test
    void anUnresolvedOrRepeatedAddressIsStale() {
        assertEquals(List.of(":6379", "172.22.0.3:6379 (twice)"), SentinelRepair.staleEntries(List.of(
                replica(":6379", ""), replica("172.22.0.3:6379", "172.22.0.3"), replica("172.22.0.3:6379", "172.22.0.3"))));
    }
}
