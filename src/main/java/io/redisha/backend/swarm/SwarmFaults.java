package io.redisha.backend.swarm;

import com.github.dockerjava.api.model.SwarmNodeAvailability;
import io.redisha.backend.FaultKind;
import io.redisha.backend.Node;

import java.util.List;

/** The faults a Swarm can inject: a node's service scaled to none, or its host drained. */
final class SwarmFaults {
    static final FaultKind STOP = new FaultKind("stop", "stopped", "started", true,
            "Swarm: the node's service scaled to 0 (its task shut down), back to 1 to heal");
    static final FaultKind DRAIN = new FaultKind("drain", "drained", "reactivated", true,
            "Swarm: the node's host set to availability drain (Swarm stops its tasks), active to heal");
    static final List<FaultKind> FAULTS = List.of(STOP, DRAIN);
    private static final String ENGINE = "Docker Swarm";

    private final ServiceLifecycle lifecycle;
    private final SwarmHosts hosts;

    SwarmFaults(ServiceLifecycle lifecycle, SwarmHosts hosts) {
        this.lifecycle = lifecycle;
        this.hosts = hosts;
    }

    void inject(FaultKind fault, Node target) {
        if (FaultKind.offered(FAULTS, fault, ENGINE).equals(STOP)) {
            lifecycle.scale(target, 0);
        } else {
            hosts.setAvailability(target, SwarmNodeAvailability.DRAIN);
        }
    }

    /** Looks first, so healing twice, or a fault never fully injected, is safe; returns whether anything was done. */
    boolean heal(FaultKind fault, Node target) {
        if (FaultKind.offered(FAULTS, fault, ENGINE).equals(STOP)) {
            if (lifecycle.replicas(target) > 0) {
                return false;
            }
            lifecycle.scale(target, 1);
            return true;
        }
        return hosts.setAvailability(target, SwarmNodeAvailability.ACTIVE);
    }
}
