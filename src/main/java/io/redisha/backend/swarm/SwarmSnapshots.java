package io.redisha.backend.swarm;

import io.redisha.backend.BackendException;
import io.redisha.backend.Node;
import io.redisha.backend.Snapshots;
import io.redisha.backend.docker.ContainerFiles;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * {@link Snapshots} on a Swarm: a node's file is read (and removed) in its running task's container
 * through the engine of the host that runs it (topology swarm.engines), as no manager can reach a
 * container's files; the check runs in a throw-away container on the manager's engine (the image is on
 * every host). Loading a snapshot into a node is not done here: a stopped task comes back as a new
 * task with a new address on the overlay network, which the Sentinels and the replicas, who know the
 * master by its address, would not follow.
 */
final class SwarmSnapshots implements Snapshots {
    private final SwarmApi api;
    private final Snapshots manager;
    private final Map<String, String> engines;

    SwarmSnapshots(SwarmApi api, Snapshots manager, Map<String, String> engines) {
        this.api = api;
        this.manager = manager;
        this.engines = engines;
    }

    /** The node's running container, and the engine of its host. */
    private record Task(String containerId, String engine) {
    }

    private Task running(Node node) {
        if (node.host() == null) {
            throw new BackendException(node.name() + " is not pinned to a host");
        }
        String engine = engines.get(node.host());
        if (engine == null) {
            throw new BackendException("cannot reach the files of " + node.name() + " on " + node.host()
                    + ": the topology's swarm.engines has no entry for that host (docs/swarm.md)");
        }
        String container = api.tasks(List.of(node.id())).stream()
                .filter(t -> "running".equals(t.path("DesiredState").asText())
                        && "running".equals(t.path("Status").path("State").asText()))
                .max(java.util.Comparator.comparingLong(t -> t.path("Version").path("Index").asLong()))
                .map(t -> t.path("Status").path("ContainerStatus").path("ContainerID").asText(""))
                .filter(id -> !id.isEmpty())
                .orElseThrow(() -> new BackendException(node.name() + " has no running task on " + node.host()));
        return new Task(container, engine);
    }

    private static ContainerFiles connect(Node node, Task task) {
        return ContainerFiles.connect(task.engine(), "the engine of " + node.host() + " (swarm.engines) must answer");
    }

    @Override
    public long copyOut(Node node, String path, OutputStream out, LongConsumer copied) {
        Task task = running(node);
        try (ContainerFiles files = connect(node, task)) {
            return files.copyOut(task.containerId(), path, out, copied);
        }
    }

    @Override
    public void removeFile(Node node, String path) {
        Task task = running(node);
        try (ContainerFiles files = connect(node, task)) {
            files.remove(task.containerId(), path, node.name());
        }
    }

    @Override
    public Run runOver(String image, String program, List<String> args, Path file) {
        return manager.runOver(image, program, args, file);
    }

    @Override
    public void restartWith(Node node, String path, Path file) {
        throw new BackendException(restartRefusal().orElseThrow());
    }

    @Override
    public Optional<String> restartRefusal() {
        return Optional.of("restoring a snapshot is not supported on Docker Swarm yet: the master, restarted with it,"
                + " would come back as a new task on a new address that its Sentinels and replicas do not follow");
    }
}
