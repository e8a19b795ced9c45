package io.redisha.cluster;

import io.redisha.docker.Service;
import io.redisha.topology.Topology;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything is created, that the fixed host ports of the nodes about to be created
 * are free on the bind address, by binding them for an instant (a local bind, no traffic).
 */
final class PortPreflight {
    private PortPreflight() {
    }

    static void check(Topology topology, List<Expected.Slot> toCreate) {
        List<String> taken = new ArrayList<>();
        for (Expected.Slot slot : toCreate) {
            Integer port = fixedPort(topology, slot);
            if (port != null && !free(topology.bind(), port)) {
                taken.add(field(slot) + ": port " + port + " on " + topology.bind() + " is already in use");
            }
        }
        if (!taken.isEmpty()) {
            throw new PreflightException(String.join("; ", taken) + " (nothing was created)");
        }
    }

    static Integer fixedPort(Topology topology, Expected.Slot slot) {
        return switch (slot.service()) {
            case MASTER -> topology.master().hostPort();
            case REPLICA -> topology.replicas().hostPort(slot.index());
            case SENTINEL -> topology.sentinels().hostPort(slot.index());
        };
    }

    static String field(Expected.Slot slot) {
        return slot.service() == Service.MASTER ? "master.host-port"
                : (slot.service() == Service.REPLICA ? "replicas" : "sentinels") + ".host-ports[" + (slot.index() - 1) + "]";
    }

    static boolean free(String bind, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
