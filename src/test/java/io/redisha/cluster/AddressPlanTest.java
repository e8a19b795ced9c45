package io.redisha.cluster;

import io.redisha.backend.AddressRange;
import io.redisha.backend.Service;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Each slot's fixed address: the same whenever the slot is filled again. */
class AddressPlanTest {

    @Test
    void redisServersFromTheFirstAddressSentinelsFromTheSecondHalf() {
        AddressPlan plan = AddressPlan.of(Optional.of(new AddressRange("172.19.0.2", 32766)));
        assertEquals("172.19.0.2", plan.address(Service.MASTER, 1));
        assertEquals("172.19.0.3", plan.address(Service.REPLICA, 1));
        assertEquals("172.19.0.12", plan.address(Service.REPLICA, 10));
        assertEquals("172.19.64.2", plan.address(Service.SENTINEL, 1));
        assertEquals("172.19.64.6", plan.address(Service.SENTINEL, 5));
        assertNull(plan.address(Service.MASTER, 2), "there is one master slot");
    }

    @Test
    void slotsBeyondTheRangeAndNetworksWithoutOneHaveNoFixedAddress() {
        AddressPlan small = AddressPlan.of(Optional.of(new AddressRange("10.1.2.2", 126)));
        assertEquals("10.1.2.65", small.address(Service.REPLICA, 63));
        assertNull(small.address(Service.REPLICA, 64));
        assertEquals("10.1.2.66", small.address(Service.SENTINEL, 1));
        assertEquals("10.1.2.127", small.address(Service.SENTINEL, 62));
        assertNull(small.address(Service.SENTINEL, 63));
        assertFalse(AddressPlan.none().fixed());
        assertNull(AddressPlan.none().address(Service.MASTER, 1));
    }
}
