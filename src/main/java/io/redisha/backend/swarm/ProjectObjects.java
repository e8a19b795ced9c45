package io.redisha.backend.swarm;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.redisha.backend.AddressRange;
import io.redisha.backend.BackendException;
import io.redisha.backend.Naming;
import io.redisha.backend.docker.DockerClients;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.redisha.backend.docker.Labels.PROJECT;

/**
 * What the project's nodes share on the Swarm, and what outlives them: its overlay network, the configs
 * and secrets that carry the nodes' files, and the data volumes, which live on each host and are listed
 * and removed through that host's own engine (swarm.engines).
 */
final class ProjectObjects {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProjectObjects.class);

    private final SwarmApi api;
    private final String project;
    private final String network;
    /** Swarm hostname to that host's own engine (topology swarm.engines). */
    private final Map<String, String> engines;

    ProjectObjects(SwarmApi api, String project, Map<String, String> engines) {
        this.api = api;
        this.project = project;
        this.network = Naming.network(project);
        this.engines = engines;
    }

    /** The project's overlay networks. */
    List<com.github.dockerjava.api.model.Network> networks() {
        return api.call("listing networks", () -> api.client.listNetworksCmd().exec().stream()
                .filter(n -> n.getLabels() != null && project.equals(n.getLabels().get(PROJECT))).toList());
    }

    /** No fixed addresses: a task rescheduled on another host gets a new one; nodes find each other by name. */
    Optional<AddressRange> ensureNetwork() {
        if (networks().isEmpty()) {
            api.run("creating overlay network " + network, () -> api.client.createNetworkCmd().withName(network)
                    .withDriver("overlay").withAttachable(true).withCheckDuplicate(true)
                    .withLabels(Map.of(PROJECT, project)).exec());
        }
        return Optional.empty();
    }

    /**
     * Removes the project's network, configs and secrets, once the removed services' tasks have let
     * go of them (Swarm shuts tasks down after the service is gone), and returns once the managers no
     * longer list the network: Swarm removes it after the call returns, and an {@code up} that still
     * found it would attach new services to a network about to vanish ("network ... not found").
     */
    void removeSharedObjects() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        removeUnused(deadline);
        Poll<Void> gone = Await.quietly().every(Duration.ofMillis(100))
                .until(deadline, () -> Poll.unless(networks().isEmpty() ? null : "listed"));
        if (!gone.done()) {
            throw new BackendException("network " + network + " of project " + project
                    + " is still listed 60 s after its removal");
        }
    }

    private void removeUnused(long deadline) {
        while (true) {
            List<String> left = new ArrayList<>();
            for (var c : api.call("listing configs", () -> api.client.listConfigsCmd()
                    .withFilters(Map.of("label", List.of(PROJECT + "=" + project))).exec())) {
                tryRemove(left, "config " + c.getSpec().getName(), () -> api.client.removeConfigCmd(c.getId()).exec());
            }
            for (var s : api.call("listing secrets", () -> api.client.listSecretsCmd()
                    .withLabelFilter(Map.of(PROJECT, project)).exec())) {
                tryRemove(left, "secret " + s.getSpec().getName(), () -> api.client.removeSecretCmd(s.getId()).exec());
            }
            for (var n : networks()) {
                tryRemove(left, "network " + n.getName(), () -> api.client.removeNetworkCmd(n.getId()).exec());
            }
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new BackendException("could not remove " + String.join(", ", left) + " of project " + project
                        + ": still in use after 60 s");
            }
            SwarmApi.pause(500);
        }
    }

    private static void tryRemove(List<String> left, String what, Runnable remove) {
        try {
            remove.run();
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            left.add(what);
        }
    }

    /**
     * The project's data volumes on every host whose own engine the topology names (swarm.engines), as
     * {@code HOST:VOLUME}: a volume lives on its host, and only that host's engine can list or remove it.
     */
    List<String> volumes() {
        List<String> volumes = new ArrayList<>();
        engines.forEach((host, engine) -> {
            try (SwarmApi api = SwarmApi.connect(engine)) {
                api.call("listing volumes on " + host, () -> api.client.listVolumesCmd()
                        .withFilter("label", List.of(PROJECT + "=" + project)).exec().getVolumes()).stream()
                        .map(v -> host + ":" + v.getName()).sorted().forEach(volumes::add);
            } catch (BackendException e) {
                // a host that is down keeps its volumes; down removes what it can reach
                LOG.warn("cannot list the volumes on {}: {}", host, e.getMessage());
            }
        });
        return volumes;
    }

    /** Removes {@code HOST:VOLUME} on that host's engine, once the removed tasks' containers have let go of it. */
    void removeVolume(String name) {
        int colon = name.indexOf(':');
        String host = name.substring(0, colon);
        String volume = name.substring(colon + 1);
        String engine = engines.get(host);
        if (engine == null) {
            throw new BackendException("cannot remove volume " + volume + " on " + host + ": no swarm.engines entry for it");
        }
        try (SwarmApi api = SwarmApi.connect(engine)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    api.client.removeVolumeCmd(volume).exec();
                    return;
                } catch (NotFoundException e) {
                    return;
                } catch (ConflictException e) {
                    if (System.nanoTime() > deadline) {
                        throw new BackendException("could not remove volume " + volume + " on " + host
                                + ": still in use after 60 s", e);
                    }
                    SwarmApi.pause(500);
                } catch (RuntimeException e) {
                    throw new BackendException("removing volume " + volume + " on " + host + " failed: "
                            + DockerClients.rootMessage(e), e);
                }
            }
        }
    }
}
