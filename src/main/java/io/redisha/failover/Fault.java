package io.redisha.failover;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.redisha.cluster.Naming;
import io.redisha.docker.DockerEngine;
import io.redisha.docker.NodeContainer;
import io.redisha.docker.Service;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ways failover-test breaks the master, and how each is undone. {@link #heal} looks at the
 * container first, so calling it twice, or for a fault that was never fully injected, is safe.
 */
public enum Fault {
    /** {@code docker pause}: the process is frozen, its connections stay open and go silent (the recipe's fault). */
    PAUSE("paused", "unpaused") {
        @Override
        void inject(DockerEngine engine, NodeContainer target, String network) {
            engine.pause(target.id());
        }

        @Override
        boolean heal(DockerEngine engine, NodeContainer target, String network) {
            InspectContainerResponse.ContainerState state = engine.inspect(target.id()).getState();
            if (Boolean.TRUE.equals(state.getPaused())) {
                engine.unpause(target.id());
                return true;
            }
            return false;
        }
    },
    /** {@code docker stop}: SIGTERM, Redis shuts down cleanly; started again when healed. */
    STOP("stopped", "started") {
        @Override
        void inject(DockerEngine engine, NodeContainer target, String network) {
            engine.stop(target.id());
        }

        @Override
        boolean heal(DockerEngine engine, NodeContainer target, String network) {
            return startIfDown(engine, target);
        }
    },
    /** SIGKILL; started again when healed, and only after Sentinel has promoted another node. */
    KILL("killed", "started") {
        @Override
        void inject(DockerEngine engine, NodeContainer target, String network) {
            engine.kill(target.id());
        }

        @Override
        boolean heal(DockerEngine engine, NodeContainer target, String network) {
            return startIfDown(engine, target);
        }
    },
    /** Cut off the project's network (its published port goes too); reconnected when healed, with the master alias if it had it. */
    DISCONNECT("disconnected", "reconnected") {
        @Override
        void inject(DockerEngine engine, NodeContainer target, String network) {
            engine.disconnect(target.id(), network);
        }

        @Override
        boolean heal(DockerEngine engine, NodeContainer target, String network) {
            Map<String, ?> networks = engine.inspect(target.id()).getNetworkSettings().getNetworks();
            if (networks != null && networks.containsKey(network)) {
                return false;
            }
            List<String> aliases = target.service() == Service.MASTER ? List.of(Naming.MASTER_ALIAS) : List.of();
            engine.connect(target.id(), network, aliases);
            return true;
        }
    };

    private final String injected;
    private final String healed;

    Fault(String injected, String healed) {
        this.injected = injected;
        this.healed = healed;
    }

    abstract void inject(DockerEngine engine, NodeContainer target, String network);

    /** Undoes the fault if it is still in effect; returns whether anything had to be done. */
    abstract boolean heal(DockerEngine engine, NodeContainer target, String network);

    /** Whether healing starts a stopped process again (and so a master comes back with what it has on disk). */
    boolean restarts() {
        return this == STOP || this == KILL;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Past participle for messages: "paused", "killed". */
    public String injectedVerb() {
        return injected;
    }

    public String healedVerb() {
        return healed;
    }

    private static boolean startIfDown(DockerEngine engine, NodeContainer target) {
        InspectContainerResponse.ContainerState state = engine.inspect(target.id()).getState();
        if (Boolean.TRUE.equals(state.getRunning())) {
            return false;
        }
        engine.start(target.id());
        return true;
    }
}
