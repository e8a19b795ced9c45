package io.redisha.backend.swarm;

import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeAvailability;
import com.github.dockerjava.api.model.SwarmNodeState;
import io.redisha.backend.BackendException;
import io.redisha.backend.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Swarm's hosts (its nodes, by hostname): whether each can run tasks now, whether the usable ones
 * can take a deployment so that it survives the loss of any one, and a host's availability (the drain
 * fault).
 */
final class SwarmHosts {
    private final SwarmApi api;
    private final boolean acceptRisk;

    SwarmHosts(SwarmApi api, boolean acceptRisk) {
        this.api = api;
        this.acceptRisk = acceptRisk;
    }

    /** The Swarm's nodes by hostname. */
    Map<String, SwarmNode> byName() {
        Map<String, SwarmNode> hosts = new TreeMap<>();
        for (SwarmNode n : api.call("listing swarm nodes", () -> api.client.listSwarmNodesCmd().exec())) {
            hosts.put(n.getDescription().getHostname(), n);
        }
        return hosts;
    }

    static boolean usable(SwarmNode n) {
        return n.getStatus() != null && n.getStatus().getState() == SwarmNodeState.READY
                && n.getSpec() != null && n.getSpec().getAvailability() == SwarmNodeAvailability.ACTIVE;
    }

    /**
     * "ready", or what keeps the host from running its tasks: "down", "drain", "gone from the swarm",
     * "unknown" (a newly elected leader has not heard from it yet).
     */
    static String state(SwarmNode n) {
        if (n == null) {
            return "gone from the swarm";
        }
        SwarmNodeState state = n.getStatus() == null ? null : n.getStatus().getState();
        if (state != SwarmNodeState.READY) {
            return state == null ? "unknown" : state.name().toLowerCase(java.util.Locale.ROOT);
        }
        SwarmNodeAvailability availability = n.getSpec() == null ? null : n.getSpec().getAvailability();
        return availability == SwarmNodeAvailability.ACTIVE ? "ready"
                : (availability == null ? "unknown" : availability.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** "host H is STATE" for each of these hosts that cannot run its tasks now. */
    List<String> problems(Set<String> pinned) {
        Map<String, SwarmNode> hosts = byName();
        List<String> problems = new ArrayList<>();
        for (String h : pinned) {
            String state = state(hosts.get(h));
            if (!"ready".equals(state)) {
                problems.add("host " + h + " is " + state);
            }
        }
        return problems;
    }

    /** Why the usable hosts cannot take these counts so that losing one of them is survived (see {@link Placement}). */
    Optional<String> placementProblem(int redisServers, int sentinels, int quorum) {
        List<String> usable = byName().entrySet().stream().filter(e -> usable(e.getValue())).map(Map.Entry::getKey).toList();
        return new Placement(usable, acceptRisk).problem(redisServers, sentinels, quorum);
    }

    /** Sets the availability of the host the node is pinned to; returns whether it changed. */
    boolean setAvailability(Node target, SwarmNodeAvailability availability) {
        if (target.host() == null) {
            throw new BackendException(target.name() + " is not pinned to a host");
        }
        SwarmNode host = byName().get(target.host());
        if (host == null) {
            throw new BackendException("host " + target.host() + " of " + target.name() + " is not in the swarm");
        }
        if (host.getSpec().getAvailability() == availability) {
            return false;
        }
        api.run("setting host " + target.host() + " to " + availability.name().toLowerCase(java.util.Locale.ROOT),
                () -> api.client.updateSwarmNodeCmd().withSwarmNodeId(host.getId())
                        .withVersion(host.getVersion().getIndex())
                        .withSwarmNodeSpec(host.getSpec().withAvailability(availability)).exec());
        return true;
    }
}
