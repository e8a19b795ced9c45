package io.redisha.backend.docker;

import com.github.dockerjava.api.model.Network;
import io.redisha.backend.AddressRange;

import java.util.Optional;

/**
 * How a project's network keeps addresses for fixed assignment: its subnet is split in halves; the
 * engine hands out addresses of the upper half (the network's IP range) to containers that ask for
 * none, and the lower half, after the network address and the gateway, is left to fixed addresses.
 * The engine accepts a fixed address only on a network whose subnet was given at creation, which is
 * why the network is created with an explicit IPAM configuration.
 */
final class FixedAddresses {
    /** The smallest subnet worth splitting: a /28 keeps 6 fixed addresses. */
    private static final int LONGEST_PREFIX = 28;

    private FixedAddresses() {
    }

    /** The IPAM configuration that keeps the lower half of the subnet for fixed addresses. */
    static Optional<Network.Ipam.Config> configFor(String subnet, String gateway) {
        Optional<int[]> cidr = cidr(subnet);
        if (cidr.isEmpty() || cidr.get()[1] > LONGEST_PREFIX) {
            return Optional.empty();
        }
        int base = cidr.get()[0];
        int prefix = cidr.get()[1];
        int half = 1 << (32 - prefix - 1);
        String range = AddressRange.toDotted(base + half) + "/" + (prefix + 1);
        return Optional.of(new Network.Ipam.Config().withSubnet(subnet).withGateway(gateway).withIpRange(range));
    }

    /** The fixed addresses of a network configured by {@link #configFor}; empty for any other network. */
    static Optional<AddressRange> of(Network network) {
        if (network.getIpam() == null || network.getIpam().getConfig() == null) {
            return Optional.empty();
        }
        return network.getIpam().getConfig().stream().map(FixedAddresses::of).flatMap(Optional::stream).findFirst();
    }

    /** The fixed addresses of an IPAM configuration made by {@link #configFor}; empty for any other. */
    static Optional<AddressRange> of(Network.Ipam.Config config) {
        if (config.getSubnet() == null || config.getIpRange() == null) {
            return Optional.empty();
        }
        Optional<Network.Ipam.Config> expected = configFor(config.getSubnet(), config.getGateway());
        if (expected.isEmpty() || !expected.get().getIpRange().equals(config.getIpRange())) {
            return Optional.empty();
        }
        int[] cidr = cidr(config.getSubnet()).orElseThrow();
        int half = 1 << (32 - cidr[1] - 1);
        // the network address and the gateway (the engine's default, the first host) are not for nodes
        return Optional.of(new AddressRange(AddressRange.toDotted(cidr[0] + 2), half - 2));
    }

    /** The IPv4 subnet of an IPAM configuration the engine chose, with its gateway; empty for IPv6. */
    static Optional<String[]> subnetAndGateway(Network network) {
        if (network.getIpam() == null || network.getIpam().getConfig() == null) {
            return Optional.empty();
        }
        return network.getIpam().getConfig().stream()
                .filter(c -> c.getSubnet() != null && cidr(c.getSubnet()).isPresent())
                .map(c -> new String[]{c.getSubnet(), c.getGateway()})
                .findFirst();
    }

    /** "172.19.0.0/16" as {network address, prefix length}; empty when it is not an IPv4 CIDR. */
    static Optional<int[]> cidr(String subnet) {
        int slash = subnet.indexOf('/');
        if (slash < 0 || subnet.indexOf(':') >= 0) {
            return Optional.empty();
        }
        try {
            int prefix = Integer.parseInt(subnet.substring(slash + 1));
            if (prefix < 1 || prefix > 32) {
                return Optional.empty();
            }
            int mask = prefix == 32 ? -1 : ~(-1 >>> prefix);
            return Optional.of(new int[]{AddressRange.toInt(subnet.substring(0, slash)) & mask, prefix});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
