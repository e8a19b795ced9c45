package io.redisha.sentinel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages as Redis 7.0 Sentinel publishes them (captured from this project's deployments). */
class SentinelEventTest {
    private static SentinelEvent event(String type, String message) {
        return new SentinelEvent("p-sentinel-1", type, message, 0);
    }

    @Test
    void masterEventNamesTheMasterAndItsAddress() {
        SentinelEvent e = event("+odown", "master mymaster 172.22.0.2 6379 #quorum 2/2");
        assertEquals("master", e.instanceType());
        assertEquals("mymaster", e.masterName());
        assertEquals("172.22.0.2:6379", e.masterAddress());
        assertEquals("172.22.0.2:6379", e.instanceAddress());
        assertTrue(e.isMasterEvent("+odown", "mymaster", "172.22.0.2:6379"));
        assertFalse(e.isMasterEvent("+odown", "othermaster", "172.22.0.2:6379"));
        assertNull(e.newMasterAddress());
    }

    @Test
    void replicaEventNamesTheReplicaAndItsMasterAfterTheAt() {
        SentinelEvent e = event("+promoted-slave", "slave 172.22.0.6:6379 172.22.0.6 6379 @ mymaster 172.22.0.2 6379");
        assertEquals("slave", e.instanceType());
        assertEquals("172.22.0.6:6379", e.instanceAddress());
        assertEquals("mymaster", e.masterName());
        assertEquals("172.22.0.2:6379", e.masterAddress());
        assertTrue(e.concernsMaster("mymaster", "172.22.0.2:6379"));
        assertFalse(e.isMasterEvent("+promoted-slave", "mymaster", "172.22.0.2:6379"));
    }

    @Test
    void switchMasterCarriesOldAndNewAddress() {
        SentinelEvent e = event("+switch-master", "mymaster 172.22.0.2 6379 172.22.0.6 6379");
        assertTrue(e.isSwitchMaster());
        assertEquals("mymaster", e.masterName());
        assertEquals("172.22.0.2:6379", e.masterAddress());
        assertEquals("172.22.0.6:6379", e.newMasterAddress());
        assertTrue(e.concernsMaster("mymaster", "172.22.0.2:6379"));
    }

    @Test
    void unresolvedReplicaKeepsItsFieldPositions() {
        // the old master recorded under a DNS name that did not resolve: empty ip, two spaces
        SentinelEvent e = event("+sdown", "slave :6379  6379 @ mymaster 172.22.0.6 6379");
        assertEquals("slave", e.instanceType());
        assertEquals(":6379", e.instanceAddress());
        assertEquals("172.22.0.6:6379", e.masterAddress());
    }

    @Test
    void eventsWithoutAnInstanceHaveNoAddresses() {
        SentinelEvent e = event("+new-epoch", "7");
        assertNull(e.instanceType());
        assertNull(e.masterName());
        assertNull(e.masterAddress());
        SentinelEvent vote = event("+vote-for-leader", "1792f83debc3376b5ac435bd6e2a472781354dd0 1");
        assertNull(vote.masterAddress());
    }

    @Test
    void onlyPlusAndMinusChannelsAreEvents() {
        assertTrue(SentinelEvent.isEventChannel("+sdown"));
        assertTrue(SentinelEvent.isEventChannel("-failover-abort-no-good-slave"));
        assertFalse(SentinelEvent.isEventChannel("__sentinel__:hello"));
        assertFalse(SentinelEvent.isEventChannel(null));
    }
}
