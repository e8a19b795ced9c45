package io.redisha.backend.swarm;

import io.redisha.backend.BackendException;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.Snapshots;
import io.redisha.backend.docker.ContainerFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@link Snapshots} on a Swarm: a node's file is read (and removed) in its running task's container
 * through the engine of the host that runs it (topology swarm.engines), as no manager can reach a
 * container's files; the check runs in a throw-away container on the manager's engine (the image is on
 * every host). A node restarted with a snapshot comes back as a new task, with a new address on the
 * overlay network.
 */
final class SwarmSnapshots implements Snapshots {
    private final SwarmApi api;
    private final ServiceLifecycle lifecycle;
    private final Snapshots manager;
    private final Map<String, String> engines;

    SwarmSnapshots(SwarmApi api, ServiceLifecycle lifecycle, Snapshots manager, Map<String, String> engines) {
        this.api = api;
        this.lifecycle = lifecycle;
        this.manager = manager;
        this.engines = engines;
    }

    /** The node's running container, and the engine of its host. */
    private record Task(String containerId, String engine) {
    }

    private String engine(Node node) {
        if (node.host() == null) {
            throw new BackendException(node.name() + " is not pinned to a host");
        }
        String engine = engines.get(node.host());
        if (engine == null) {
            throw new BackendException("cannot reach the files of " + node.name() + " on " + node.host()
                    + ": the topology's swarm.engines has no entry for that host (docs/swarm.md)");
        }
        return engine;
    }

    private Task running(Node node) {
        String engine = engine(node);
        String container = TaskFiles.runningContainer(api, node);
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

    /**
     * Stops the node's service, puts the file into its data volume through the container its last task
     * left on its host, with a first-start marker beside it, and starts the service again with the start
     * script told to look for that marker. The new task gets a new address on the overlay network: the
     * caller points the Sentinels and the replicas at it.
     */
    @Override
    public void restartWith(Node node, String path, Path file) {
        lifecycle.stop(node);
        Task last = last(node);
        try (ContainerFiles files = connect(node, last)) {
            files.copyIn(last.containerId(), path, file);
            Path marker = Files.createTempFile("redisha-first-start", "");
            try {
                files.copyIn(last.containerId(), FIRST_START_PATH, marker);
            } finally {
                Files.deleteIfExists(marker);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lifecycle.startFirst(node, FIRST_START_PATH);
    }

    /**
     * In the data volume, since a new task is a new container: the start script removes it at once, so a
     * later task of the node never finds one.
     */
    static final String FIRST_START_PATH = Naming.DATA_DIR + "/.redisha-first-start";

    /** The container of the node's newest task, running or not, and the engine of its host. */
    private Task last(Node node) {
        String engine = engine(node);
        String container = api.tasks(List.of(node.id())).stream()
                .filter(t -> !t.path("Status").path("ContainerStatus").path("ContainerID").asText("").isEmpty())
                .max(Comparator.comparingLong(t -> t.path("Version").path("Index").asLong()))
                .map(t -> t.path("Status").path("ContainerStatus").path("ContainerID").asText())
                .orElseThrow(() -> new BackendException(node.name() + " has no container left on " + node.host()));
        return new Task(container, engine);
    }
}
