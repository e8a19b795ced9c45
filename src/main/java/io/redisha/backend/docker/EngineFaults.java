package io.redisha.backend.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Network;
import io.redisha.backend.FaultKind;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The faults one engine can inject into a container, and their healing: pause, stop, kill,
 * disconnect, partition (a side network of the node's own), restart before detection; and the
 * reattaching of a node cut off the project's network, which repair uses too.
 */
final class EngineFaults {
    static final FaultKind PAUSE = new FaultKind("pause", "paused", "unpaused", false,
            "docker pause: frozen, its connections go silent (the recipe's fault)");
    static final FaultKind STOP = new FaultKind("stop", "stopped", "started", true,
            "graceful stop (SIGTERM)");
    static final FaultKind KILL = new FaultKind("kill", "killed", "started", true,
            "SIGKILL, started again after the failover");
    static final FaultKind DISCONNECT = new FaultKind("disconnect", "disconnected", "reconnected", false,
            "cut off the project's network");
    static final FaultKind PARTITION = new FaultKind(FaultKind.PARTITION, "partitioned", "rejoined", false,
            "cut off the Sentinels and replicas while it keeps running and the host's clients still reach it");
    static final FaultKind RESTART_FAST = new FaultKind(FaultKind.RESTART_FAST, "restarted", "left running", false,
            "docker restart -t 0: back before Sentinel notices, with only what it had on disk (docs/running-safely.md, \"Restart before detection\")");
    /** In the order the CLI offers them; the first is the default. */
    static final List<FaultKind> FAULTS = List.of(PAUSE, STOP, KILL, DISCONNECT, PARTITION, RESTART_FAST);

    private final DockerEngine engine;
    private final String project;
    private final String network;
    private final String partitionNetwork;

    EngineFaults(DockerEngine engine, String project) {
        this.engine = engine;
        this.project = project;
        this.network = Naming.network(project);
        this.partitionNetwork = Naming.partitionNetwork(project);
    }

    void inject(FaultKind fault, Node target) {
        switch (supported(fault).name()) {
            case "pause" -> engine.pause(target.id());
            case "stop" -> engine.stop(target.id());
            case "kill" -> engine.kill(target.id());
            case "disconnect" -> engine.disconnect(target.id(), network);
            case FaultKind.PARTITION -> partition(target);
            case FaultKind.RESTART_FAST -> engine.restartNow(target.id());
            default -> throw new IllegalStateException(fault.name());
        }
    }

    /**
     * Moves the node to a network of its own: the engine then publishes its port through that
     * network, so the host's clients still reach it, while the project's network (its Sentinels and
     * replicas) no longer does. Attached to the side network first, so that it is never without one.
     */
    private void partition(Node target) {
        if (engine.networks(Labels.partition(project)).isEmpty()) {
            engine.createNetwork(partitionNetwork, Labels.partition(project), null);
        }
        engine.connect(target.id(), partitionNetwork, List.of(), null);
        engine.disconnect(target.id(), network);
    }

    /**
     * Back on the project's network first (with its address), then off the side network, which is
     * removed; returns whether anything had to be done.
     */
    private boolean healPartition(Node target, Map<String, ?> networks) {
        boolean changed = false;
        if (networks == null || !networks.containsKey(network)) {
            reattach(target);
            changed = true;
        }
        if (networks != null && networks.containsKey(partitionNetwork)) {
            engine.disconnect(target.id(), partitionNetwork);
            changed = true;
        }
        for (Network side : engine.networks(Labels.partition(project))) {
            engine.removeNetwork(side);
            changed = true;
        }
        return changed;
    }

    /** A partition that a killed redisha left in place: every node on the side network is healed, the network removed. */
    List<String> removeLeftovers(List<Node> nodes) {
        List<Network> sides = engine.networks(Labels.partition(project));
        if (sides.isEmpty()) {
            return List.of();
        }
        List<String> done = new ArrayList<>();
        for (Node node : nodes) {
            Map<String, ?> networks = engine.inspect(node.id()).getNetworkSettings().getNetworks();
            if (networks != null && networks.containsKey(partitionNetwork)) {
                healPartition(node, networks);
                done.add("healed the partition of " + node.name());
            }
        }
        for (Network side : engine.networks(Labels.partition(project))) {
            engine.removeNetwork(side);
        }
        done.add("removed network " + partitionNetwork);
        return done;
    }

    /** Looks at the container first, so healing twice, or a fault never fully injected, is safe. */
    boolean heal(FaultKind fault, Node target) {
        InspectContainerResponse inspect = engine.inspect(target.id());
        switch (supported(fault).name()) {
            case "pause" -> {
                if (!Boolean.TRUE.equals(inspect.getState().getPaused())) {
                    return false;
                }
                engine.unpause(target.id());
            }
            case "stop", "kill" -> {
                if (Boolean.TRUE.equals(inspect.getState().getRunning())) {
                    return false;
                }
                engine.start(target.id());
            }
            case "disconnect" -> {
                Map<String, ?> networks = inspect.getNetworkSettings().getNetworks();
                if (networks != null && networks.containsKey(network)) {
                    return false;
                }
                reattach(target);
            }
            case FaultKind.PARTITION -> {
                return healPartition(target, inspect.getNetworkSettings().getNetworks());
            }
            case FaultKind.RESTART_FAST -> {
                // the engine started it again at once; only a restart that failed leaves it stopped
                if (Boolean.TRUE.equals(inspect.getState().getRunning())) {
                    return false;
                }
                engine.start(target.id());
            }
            default -> throw new IllegalStateException(fault.name());
        }
        return true;
    }

    private static FaultKind supported(FaultKind fault) {
        return FaultKind.offered(FAULTS, fault, "a single Docker engine");
    }

    /** With the node's fixed address, if it has one: the engine would otherwise pick another. */
    void reattach(Node node) {
        Map<String, String> labels = engine.inspect(node.id()).getConfig().getLabels();
        engine.connect(node.id(), network, Naming.aliases(node.service()), labels == null ? null : labels.get(Labels.ADDRESS));
    }
}
