package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Service;
import io.redisha.topology.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks, before anything is created, that the fixed host ports of the nodes about to be created
 * are free on the bind address, as the backend can tell.
 */
final class PortPreflight {
    private PortPreflight() {
    }

    static void check(Backend backend, Topology topology, List<Expected.Slot> toCreate) {
        List<String> taken = new ArrayList<>();
        for (Expected.Slot slot : toCreate) {
            Integer port = fixedPort(topology, slot);
            if (port != null && backend.localPorts().filter(ports -> !ports.hostPortFree(topology.bind(), port)).isPresent()) {
                taken.add(field(slot) + ": port " + port + " on " + topology.bind() + " is already in use");
            }
            Integer exporterPort = exporterPort(topology, slot);
            if (exporterPort != null && backend.localPorts().filter(ports -> !ports.hostPortFree(topology.bind(), exporterPort)).isPresent()) {
                taken.add("metrics.port: port " + exporterPort + " of the exporter of " + slot.service().label() + " "
                        + slot.index() + " on " + topology.bind() + " is already in use");
            }
        }
        if (!taken.isEmpty()) {
            throw new PreflightException(String.join("; ", taken) + " (nothing was created)");
        }
        if (!toCreate.isEmpty()) {
            placement(backend, topology, "nothing was created");
        }
    }

    /** Refuses counts the backend cannot place so that they survive what it promises (the loss of a host). */
    static void placement(Backend backend, Topology topology, String outcome) {
        placementProblem(backend, topology).ifPresent(problem -> {
                    throw new PlacementException("refused: " + problem + " (" + outcome + ")");
                });
    }

    /**
     * Whether {@link #check} cannot refuse the topology whatever runs: no node has a fixed host port
     * and the backend can place the counts. Only then may anything be made before the check.
     */
    static boolean cannotRefuse(Backend backend, Topology topology) {
        return Expected.of(topology).slots().stream()
                .allMatch(slot -> fixedPort(topology, slot) == null
                        && (exporterPort(topology, slot) == null || backend.localPorts().isEmpty()))
                && placementProblem(backend, topology).isEmpty();
    }

    private static Optional<String> placementProblem(Backend backend, Topology topology) {
        return backend.hosts().flatMap(hosts -> hosts.placementProblem(1 + topology.replicas().count(),
                topology.sentinels().count(), topology.sentinels().quorum()));
    }

    static Integer fixedPort(Topology topology, Expected.Slot slot) {
        return switch (slot.service()) {
            case MASTER -> topology.master().hostPort();
            case REPLICA -> topology.replicas().hostPort(slot.index());
            case SENTINEL -> topology.sentinels().hostPort(slot.index());
        };
    }

    /** The fixed host port of the slot's exporter (metrics.port), or null. */
    static Integer exporterPort(Topology topology, Expected.Slot slot) {
        if (!topology.metrics().enabled()) {
            return null;
        }
        return topology.metrics().hostPort(topology.platform().isSwarm(), slot.service() == Service.SENTINEL,
                slot.service() == Service.MASTER ? 0 : slot.index());
    }

    static String field(Expected.Slot slot) {
        return slot.service() == Service.MASTER ? "master.host-port"
                : (slot.service() == Service.REPLICA ? "replicas" : "sentinels") + ".host-ports[" + (slot.index() - 1) + "]";
    }
}
