package io.redisha.cluster;

import io.redisha.backend.AddressRange;
import io.redisha.backend.Service;

import java.util.Optional;

/**
 * Each node's address on the deployment's network, known before anything starts: the Redis servers
 * in the first half of the backend's fixed addresses (master-1 first, then replica-N at offset N),
 * the Sentinels in the second half. A node recreated in the same slot gets the same address, so
 * nothing that knew it has to forget it. Without fixed addresses (a network of an older redisha)
 * every address is unknown until the node runs.
 */
final class AddressPlan {
    private static final AddressPlan NONE = new AddressPlan(null);

    private final AddressRange range;

    private AddressPlan(AddressRange range) {
        this.range = range;
    }

    static AddressPlan of(Optional<AddressRange> range) {
        return range.map(AddressPlan::new).orElse(NONE);
    }

    static AddressPlan none() {
        return NONE;
    }

    boolean fixed() {
        return range != null;
    }

    /** The slot's fixed address, or null when it has none (no fixed addresses, or more nodes than they hold). */
    String address(Service service, int index) {
        if (range == null || index < 1) {
            return null;
        }
        // the Sentinels start at a round address in the usual subnets: x.y.64.2 in a /16, .66 in a /24
        int redisSlots = (range.size() + 2) / 2;
        int offset = switch (service) {
            case MASTER -> index == 1 ? 0 : -1;
            case REPLICA -> index < redisSlots ? index : -1;
            case SENTINEL -> redisSlots + index - 1 < range.size() ? redisSlots + index - 1 : -1;
        };
        return offset < 0 ? null : range.address(offset);
    }
}
