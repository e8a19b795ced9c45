package io.redisha.backend.swarm;

import io.redisha.backend.BackendException;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.docker.ContainerFiles;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a node's running task, read and written in its container through the engine of the host
 * that runs it (topology swarm.engines): no manager can reach a container's files. What a task wrote into
 * its data volume is what it reads again when Swarm restarts it.
 *
 * <p>The restart protection's credential: a Redis task's start script reads the password it asks the
 * Sentinels with from {@link #SENTINEL_AUTH_PATH}, which the task script fills from the node's Swarm secret
 * only when that secret changed (a new node); a password rotated in place is written there, and a task
 * restarted later reads it. With {@link #AUTH_USER_PATH} beside it, a node made with one password logs in
 * as that user from now on (the start script reads the file when its options name no user).
 */
final class TaskFiles {
    /** In the data volume: the restart protection's password for the Sentinels. */
    static final String SENTINEL_AUTH_PATH = Naming.DATA_DIR + "/.redisha-sentinel-auth";
    /** In the data volume: the ACL user the restart protection logs in as, for a node made with one password. */
    static final String AUTH_USER_PATH = Naming.DATA_DIR + "/.redisha-auth-user";

    private final SwarmApi api;
    private final Map<String, String> engines;

    TaskFiles(SwarmApi api, Map<String, String> engines) {
        this.api = api;
        this.engines = engines;
    }

    /** Whether every file of a node can be reached: the topology names an engine for each host. */
    boolean reachable(Node node) {
        return node.host() != null && engines.containsKey(node.host());
    }

    /** The file at {@code path} in the node's running task; empty when its host has no engine in swarm.engines. */
    Optional<byte[]> read(Node node, String path) {
        if (!reachable(node)) {
            return Optional.empty();
        }
        String container = runningContainer(api, node);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ContainerFiles files = connect(node)) {
            files.copyOut(container, path, out, copied -> { });
        }
        return Optional.of(out.toByteArray());
    }

    /** Writes files into the node's running task, mode 600, owned as its configuration file is. */
    void write(Node node, Map<String, byte[]> files) {
        if (!reachable(node)) {
            throw new BackendException("cannot reach the files of " + node.name() + " on " + node.host()
                    + ": the topology's swarm.engines has no entry for that host (docs/swarm.md)");
        }
        String container = runningContainer(api, node);
        try (ContainerFiles engine = connect(node)) {
            engine.write(container, files, node.service().isRedis() ? Naming.REDIS_CONFIG_PATH : Naming.SENTINEL_CONFIG_PATH);
        }
    }

    /** The restart protection's password, and with {@code user} the ACL user it logs in as. */
    void protection(Node node, String password, String user) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(SENTINEL_AUTH_PATH, password.getBytes(StandardCharsets.UTF_8));
        if (user != null) {
            files.put(AUTH_USER_PATH, user.getBytes(StandardCharsets.UTF_8));
        }
        write(node, files);
    }

    private ContainerFiles connect(Node node) {
        return ContainerFiles.connect(engines.get(node.host()), "the engine of " + node.host() + " (swarm.engines) must answer");
    }

    /** The container of the node's running task (the newest, while Swarm replaces one), on its host's engine. */
    static String runningContainer(SwarmApi api, Node node) {
        return api.tasks(List.of(node.id())).stream()
                .filter(t -> "running".equals(t.path("DesiredState").asText())
                        && "running".equals(t.path("Status").path("State").asText()))
                .max(Comparator.comparingLong(t -> t.path("Version").path("Index").asLong()))
                .map(t -> t.path("Status").path("ContainerStatus").path("ContainerID").asText(""))
                .filter(id -> !id.isEmpty())
                .orElseThrow(() -> new BackendException(node.name() + " has no running task on " + node.host()));
    }
}
