package io.redisha.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import io.redisha.backend.BackendException;
import io.redisha.backend.LogStream;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import static io.redisha.backend.docker.DockerClients.rootMessage;

/**
 * The single door to one Docker Engine API through docker-java. Every docker-java exception is
 * turned into a {@link BackendException} here, with the operation in its message.
 */
final class DockerEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);
    private static final int STOP_TIMEOUT_SECONDS = 5;
    /**
     * Every node's: the engine starts it again when its process ends (a crash, the out-of-memory
     * killer), when the engine starts (after its own restart or the host's boot), but not after a
     * stop or kill through the engine's API (down, a failover-test fault): those stay stopped.
     */
    static final RestartPolicy NODE_RESTART = RestartPolicy.unlessStoppedRestart();

    private final DockerClients.Connection connection;
    private final DockerClient client;
    private final String host;
    /** A second client for logs that are followed: without a response timeout, a quiet log is not an error. */
    private DockerClient streamingClient;

    private DockerEngine(DockerClients.Connection connection) {
        this.connection = connection;
        this.client = connection.client();
        this.host = connection.host();
    }

    /** Connects to the engine named by DOCKER_HOST (or the default socket) and checks that it answers. */
    static DockerEngine connect() {
        return new DockerEngine(DockerClients.connect(null, "start it (scripts/setup does on Debian) or set DOCKER_HOST"));
    }

    /** Connects to the engine at {@code dockerHost} (one host of a Swarm), with the environment's other settings. */
    static DockerEngine connect(String dockerHost, String hint) {
        return new DockerEngine(DockerClients.connect(dockerHost, hint));
    }

    private synchronized DockerClient streamingClient() {
        if (streamingClient == null) {
            streamingClient = connection.streaming();
        }
        return streamingClient;
    }

    String host() {
        return host;
    }

    /** Runs one engine call; a failure becomes a BackendException that says what was being done. */
    private <T> T call(String what, Supplier<T> action) {
        long start = System.nanoTime();
        try {
            T result = action.get();
            if (log.isTraceEnabled()) {
                log.trace("{}: {} ms", what, (System.nanoTime() - start) / 1_000_000);
            }
            return result;
        } catch (BackendException e) {
            throw e;
        } catch (com.github.dockerjava.api.exception.DockerException e) {
            throw new BackendException("the Docker engine refused " + what + ": " + e.getMessage().strip(), e);
        } catch (RuntimeException e) {
            throw new BackendException(what + " failed: " + rootMessage(e), e);
        }
    }

    private void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    // ---- images ----------------------------------------------------------------------------

    boolean imageExists(String image) {
        return call("inspecting image " + image, () -> {
            try {
                client.inspectImageCmd(image).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    /** Builds an image from a directory with a Dockerfile; never pulls the base image. */
    void buildImage(File contextDir, String tag, Map<String, String> buildArgs, Map<String, String> labels) {
        run("building image " + tag + " from " + contextDir, () -> {
            var cmd = client.buildImageCmd(contextDir).withTags(Set.of(tag)).withPull(false).withLabels(labels);
            buildArgs.forEach(cmd::withBuildArg);
            cmd.exec(new BuildImageResultCallback()).awaitImageId(5, TimeUnit.MINUTES);
        });
    }

    /** The image's id, or null when the engine has no such image. */
    String imageId(String image) {
        return call("inspecting image " + image, () -> {
            try {
                return client.inspectImageCmd(image).exec().getId();
            } catch (NotFoundException e) {
                return null;
            }
        });
    }

    /** A label of the image, or null when the image or the label is missing. */
    String imageLabel(String image, String label) {
        return call("inspecting image " + image, () -> {
            try {
                var config = client.inspectImageCmd(image).exec().getConfig();
                return config == null || config.getLabels() == null ? null : config.getLabels().get(label);
            } catch (NotFoundException e) {
                return null;
            }
        });
    }

    /** The ids of the untagged images with the given labels. */
    List<String> untaggedImages(Map<String, String> labels) {
        return call("listing images", () -> client.listImagesCmd().withDanglingFilter(true)
                .withLabelFilter(labels).exec().stream().map(com.github.dockerjava.api.model.Image::getId).toList());
    }

    /** Removes an image unless a container uses it; returns whether it did. */
    boolean removeUnusedImage(String id) {
        return call("removing image " + id, () -> {
            try {
                client.removeImageCmd(id).withForce(false).exec();
                return true;
            } catch (NotFoundException | ConflictException e) {
                log.debug("image {} kept: {}", id, e.getMessage());
                return false;
            }
        });
    }

    void removeImage(String image) {
        run("removing image " + image, () -> {
            try {
                client.removeImageCmd(image).withForce(false).exec();
            } catch (NotFoundException e) {
                log.debug("image {} already gone", image);
            }
        });
    }

    /** Config of the image: Cmd, Entrypoint, Env, Labels; null when the image is not on the engine. */
    com.github.dockerjava.api.model.ContainerConfig imageConfig(String image) {
        return call("inspecting image " + image, () -> {
            try {
                return client.inspectImageCmd(image).exec().getConfig();
            } catch (NotFoundException e) {
                return null;
            }
        });
    }

    /**
     * Runs a program of the image once with no network and returns its output; null when the
     * image has no such program (the engine refuses to start it). The container is removed.
     */
    String runOnce(String image, String program, List<String> args, Map<String, String> labels) {
        String id = call("creating a container of " + image + " to run " + program, () -> client.createContainerCmd(image)
                .withEntrypoint(program).withCmd(args).withLabels(labels).withNetworkDisabled(true).exec().getId());
        try {
            try {
                client.startContainerCmd(id).exec();
            } catch (com.github.dockerjava.api.exception.BadRequestException e) {
                log.debug("{} has no {}: {}", image, program, e.getMessage());
                return null;
            }
            call("waiting for " + program + " of " + image, () -> client.waitContainerCmd(id)
                    .exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())
                    .awaitStatusCode(30, TimeUnit.SECONDS));
            return String.join("\n", tailLogs(id, 100));
        } finally {
            remove(id);
        }
    }

    // ---- networks --------------------------------------------------------------------------

    List<Network> networks(Map<String, String> labels) {
        return call("listing networks", () -> client.listNetworksCmd().exec().stream()
                .filter(n -> n.getLabels() != null && n.getLabels().entrySet().containsAll(labels.entrySet()))
                .toList());
    }

    /**
     * Creates a bridge network; returns its id.
     *
     * @param ipam the subnet, gateway and range of dynamic addresses, or null to let the engine pick a free subnet
     */
    String createNetwork(String name, Map<String, String> labels, Network.Ipam.Config ipam) {
        return call("creating network " + name, () -> {
            try {
                var cmd = client.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels)
                        .withCheckDuplicate(true);
                if (ipam != null) {
                    cmd.withIpam(new Network.Ipam().withConfig(ipam));
                }
                return cmd.exec().getId();
            } catch (ConflictException e) {
                throw new BackendException("a network named " + name + " exists but is not labelled as "
                        + labels + "; remove or rename it", e);
            }
        });
    }

    Network inspectNetwork(String id) {
        return call("inspecting network " + id, () -> client.inspectNetworkCmd().withNetworkId(id).exec());
    }

    void removeNetwork(Network network) {
        run("removing network " + network.getName(), () -> {
            try {
                client.removeNetworkCmd(network.getId()).exec();
            } catch (NotFoundException e) {
                log.debug("network {} already gone", network.getName());
            }
        });
    }

    void disconnect(String containerId, String network) {
        run("disconnecting " + containerId + " from " + network, () -> client.disconnectFromNetworkCmd()
                .withNetworkId(network).withContainerId(containerId).withForce(true).exec());
    }

    /** @param ipv4Address the container's fixed address on the network, or null for one the engine picks */
    void connect(String containerId, String network, List<String> aliases, String ipv4Address) {
        ContainerNetwork endpoint = new ContainerNetwork().withAliases(aliases);
        if (ipv4Address != null) {
            endpoint.withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(ipv4Address));
        }
        run("connecting " + containerId + " to " + network, () -> client.connectToNetworkCmd()
                .withNetworkId(network).withContainerId(containerId).withContainerNetwork(endpoint).exec());
    }

    // ---- volumes ---------------------------------------------------------------------------

    private void ensureVolume(String name, Map<String, String> labels) {
        try {
            client.inspectVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            client.createVolumeCmd().withName(name).withLabels(labels).exec();
        }
    }

    List<String> volumes(String label, String value) {
        return call("listing volumes", () -> {
            var response = client.listVolumesCmd().withFilter("label", List.of(label + "=" + value)).exec();
            return response.getVolumes() == null ? List.<String>of()
                    : response.getVolumes().stream().map(InspectVolumeResponse::getName).toList();
        });
    }

    void removeVolume(String name) {
        run("removing volume " + name, () -> {
            try {
                client.removeVolumeCmd(name).exec();
            } catch (NotFoundException e) {
                log.debug("volume {} already gone", name);
            }
        });
    }

    // ---- containers ------------------------------------------------------------------------

    List<Container> containers(Map<String, String> labels) {
        return call("listing containers", () -> client.listContainersCmd().withShowAll(true)
                .withLabelFilter(labels).exec());
    }

    /**
     * What {@link #createAndStart} needs; the engine's terms, built by the backend.
     *
     * @param entrypoint replaces the image's entrypoint; null keeps it
     * @param fileOwner  the numeric user and group that own the files ({@code uid:gid}); null for root, whose
     *                   image's entrypoint hands them on
     */
    record Create(String name, String image, Map<String, String> labels, List<String> entrypoint, List<String> cmd,
                  String network,
                  List<String> aliases, String ipv4Address, int containerPort, String hostIp, Integer hostPort,
                  Map<String, byte[]> files, String volume, String volumePath, Long memoryBytes, String fileOwner) {
        Create(String name, String image, Map<String, String> labels, List<String> entrypoint, List<String> cmd,
               String network, List<String> aliases, String ipv4Address, int containerPort, String hostIp,
               Integer hostPort, Map<String, byte[]> files, String volume, String volumePath, Long memoryBytes) {
            this(name, image, labels, entrypoint, cmd, network, aliases, ipv4Address, containerPort, hostIp, hostPort,
                    files, volume, volumePath, memoryBytes, null);
        }
    }

    /** Creates the container, copies its files in and starts it; returns the container id. */
    String createAndStart(Create spec) {
        return createAndStart(spec, () -> { });
    }

    /**
     * Creates the container, copies its files in and starts it once {@code beforeStart} returns (what the
     * node needs running first is awaited there, while the engine prepares this one); returns its id.
     */
    String createAndStart(Create spec, Runnable beforeStart) {
        return call("creating " + spec.name(), () -> {
            ExposedPort port = ExposedPort.tcp(spec.containerPort());
            Ports.Binding binding = spec.hostPort() == null
                    ? Ports.Binding.bindIp(spec.hostIp())
                    : Ports.Binding.bindIpAndPort(spec.hostIp(), spec.hostPort());
            HostConfig hostConfig = HostConfig.newHostConfig()
                    .withNetworkMode(spec.network())
                    .withRestartPolicy(NODE_RESTART)
                    .withPortBindings(new PortBinding(binding, port));
            if (spec.volume() != null) {
                ensureVolume(spec.volume(), spec.labels());
                hostConfig.withBinds(new Bind(spec.volume(), new Volume(spec.volumePath())));
            }
            if (spec.memoryBytes() != null) {
                // no swap beyond the limit: a Redis that swaps is slower than one that is refused
                hostConfig.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
            }
            String id;
            long created = System.nanoTime();
            try {
                var cmd = client.createContainerCmd(spec.image())
                        .withName(spec.name())
                        .withLabels(spec.labels())
                        .withCmd(spec.cmd())
                        .withExposedPorts(port)
                        .withHostConfig(hostConfig)
                        .withAliases(spec.aliases());
                if (spec.ipv4Address() != null) {
                    cmd.withIpv4Address(spec.ipv4Address());
                }
                if (spec.entrypoint() != null) {
                    cmd.withEntrypoint(spec.entrypoint());
                }
                id = cmd.exec().getId();
            } catch (NotFoundException e) {
                throw new BackendException("image " + spec.image() + " is not on the engine (run scripts/setup, or pull or load it)", e);
            } catch (ConflictException e) {
                throw new BackendException("a container named " + spec.name() + " already exists but is not labelled as redisha's; remove or rename it", e);
            }
            log.trace("{}: container created: {} ms", spec.name(), (System.nanoTime() - created) / 1_000_000);
            if (!spec.files().isEmpty()) {
                Map<String, long[]> owners = new HashMap<>();
                if (spec.fileOwner() != null) {
                    String[] ids = spec.fileOwner().split(":");
                    long[] owner = {Long.parseLong(ids[0]), Long.parseLong(ids.length > 1 ? ids[1] : ids[0])};
                    spec.files().keySet().forEach(path -> owners.put(path, owner));
                }
                copyFiles(id, spec.files(), owners);
            }
            long waited = System.nanoTime();
            beforeStart.run();
            long started = System.nanoTime();
            if (started - waited > 1_000_000) {
                log.trace("{}: start held back until what it needs runs: {} ms", spec.name(), (started - waited) / 1_000_000);
            }
            try {
                client.startContainerCmd(id).exec();
            } catch (RuntimeException e) {
                throw new BackendException("starting " + spec.name() + " failed: " + rootMessage(e), e);
            }
            log.trace("{}: container started: {} ms", spec.name(), (System.nanoTime() - started) / 1_000_000);
            log.debug("started {} ({})", spec.name(), id);
            return id;
        });
    }

    /** Copies files into a container as one tar archive, each readable by its owner only. */
    void copyFiles(String containerId, Map<String, byte[]> files) {
        copyFiles(containerId, files, Map.of());
    }

    /**
     * Replaces files of a running container, each owned as the file it replaces (a running server
     * reads them as its own user; the image's entrypoint handed them to it at start) and readable
     * by its owner only.
     */
    void replaceFiles(String containerId, Map<String, byte[]> files) {
        Map<String, long[]> owners = new HashMap<>();
        for (String path : files.keySet()) {
            owners.put(path, owner(containerId, path));
        }
        copyFiles(containerId, files, owners);
    }

    /** The user and group ids owning a file in the container. */
    private long[] owner(String containerId, String path) {
        return call("reading the owner of " + path + " in " + containerId, () -> {
            try (InputStream in = client.copyArchiveFromContainerCmd(containerId, path).exec();
                 TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                TarArchiveEntry entry = tar.getNextEntry();
                return entry == null ? new long[] {0, 0} : new long[] {entry.getLongUserId(), entry.getLongGroupId()};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Writes files into a container, new or replaced, each mode 600 and owned as the file {@code ownerOf} is. */
    void writeFiles(String containerId, Map<String, byte[]> files, String ownerOf) {
        long[] owner = owner(containerId, ownerOf);
        Map<String, long[]> owners = new HashMap<>();
        files.keySet().forEach(path -> owners.put(path, owner));
        copyFiles(containerId, files, owners);
    }

    private void copyFiles(String containerId, Map<String, byte[]> files, Map<String, long[]> owners) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(buffer)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey().replaceFirst("^/", ""));
                entry.setSize(file.getValue().length);
                entry.setMode(0600); // may hold a password; the image's entrypoint hands /data to the redis user
                long[] owner = owners.get(file.getKey());
                if (owner != null) {
                    entry.setUserId(owner[0]);
                    entry.setGroupId(owner[1]);
                }
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("copying files into " + containerId, () -> client.copyArchiveToContainerCmd(containerId)
                .withRemotePath("/").withTarInputStream(new ByteArrayInputStream(buffer.toByteArray())).exec());
    }

    /**
     * Copies one file out of a container (running or not) into {@code out}, reading the engine's tar
     * stream as it comes; returns the file's size.
     */
    long copyOut(String containerId, String path, OutputStream out, LongConsumer copied) {
        return call("copying " + path + " out of " + containerId, () -> {
            try (InputStream archive = client.copyArchiveFromContainerCmd(containerId, path).exec();
                 TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
                TarArchiveEntry entry = tar.getNextEntry();
                if (entry == null || !entry.isFile()) {
                    throw new BackendException(path + " in " + containerId + " is not a file");
                }
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                long told = 0;
                for (int n = tar.read(buffer); n >= 0; n = tar.read(buffer)) {
                    out.write(buffer, 0, n);
                    total += n;
                    if (total - told >= COPY_REPORT_BYTES) {
                        copied.accept(total);
                        told = total;
                    }
                }
                if (total != entry.getSize()) {
                    throw new BackendException("copying " + path + " out of " + containerId + " ended after "
                            + total + " of " + entry.getSize() + " bytes");
                }
                copied.accept(total);
                return total;
            } catch (NotFoundException e) {
                throw new BackendException(path + " is not in " + containerId, e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** How often a long copy reports its progress. */
    private static final long COPY_REPORT_BYTES = 64L << 20;

    /**
     * Copies a file of this machine into a container (running or not) as {@code path}, streamed
     * through a tar archive written on a thread of its own.
     */
    void copyIn(String containerId, String path, Path file) {
        run("copying " + file + " into " + containerId + " as " + path, () -> {
            try (PipedInputStream in = new PipedInputStream(1 << 16)) {
                PipedOutputStream pipe = new PipedOutputStream(in);
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeTar(pipe, path, file));
                client.copyArchiveToContainerCmd(containerId).withRemotePath("/").withTarInputStream(in).exec();
                writing.join();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void writeTar(OutputStream pipe, String path, Path file) {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(pipe)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry(path.replaceFirst("^/", ""));
            entry.setSize(Files.size(file));
            entry.setMode(0600);
            entry.setModTime(System.currentTimeMillis());
            tar.putArchiveEntry(entry);
            Files.copy(file, tar);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command in a running container and returns its exit code (its output is discarded). */
    long exec(String containerId, List<String> command) {
        return call("running " + command.get(0) + " in " + containerId, () -> {
            String execId = client.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            try {
                client.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackendException("interrupted while running " + command.get(0) + " in " + containerId, e);
            }
            Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
            return code == null ? -1 : code;
        });
    }

    /** What a program run over a file said, and its exit code. */
    record Ran(int exitCode, List<String> output) {
    }

    /**
     * Runs a program of the image once over a copy of a file, with no network, and removes the
     * container; the program's arguments name the copy at {@code path}.
     */
    Ran runOver(String image, String program, List<String> args, String path, Path file, Map<String, String> labels,
                int timeoutSeconds) {
        String id = call("creating a container of " + image + " to run " + program, () -> client.createContainerCmd(image)
                .withEntrypoint(program).withCmd(args).withLabels(labels).withNetworkDisabled(true).exec().getId());
        try {
            copyIn(id, path, file);
            run("starting " + program + " of " + image, () -> client.startContainerCmd(id).exec());
            Integer code = call("waiting for " + program + " of " + image, () -> client.waitContainerCmd(id)
                    .exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())
                    .awaitStatusCode(timeoutSeconds, TimeUnit.SECONDS));
            return new Ran(code == null ? -1 : code, tailLogs(id, 200));
        } finally {
            remove(id);
        }
    }

    InspectContainerResponse inspect(String containerId) {
        return call("inspecting " + containerId, () -> client.inspectContainerCmd(containerId).exec());
    }

    void start(String containerId) {
        run("starting " + containerId, () -> {
            try {
                client.startContainerCmd(containerId).exec();
            } catch (NotModifiedException e) {
                log.debug("{} already running", containerId);
            }
        });
    }

    void stop(String containerId) {
        run("stopping " + containerId, () -> {
            try {
                client.stopContainerCmd(containerId).withTimeout(STOP_TIMEOUT_SECONDS).exec();
            } catch (NotModifiedException e) {
                log.debug("{} already stopped", containerId);
            }
        });
    }

    void kill(String containerId) {
        run("killing " + containerId, () -> client.killContainerCmd(containerId).withSignal("SIGKILL").exec());
    }

    /** {@code docker restart -t 0}: killed at once and started again by the engine, with the same files and address. */
    void restartNow(String containerId) {
        run("restarting " + containerId, () -> client.restartContainerCmd(containerId).withTimeout(0).exec());
    }

    /** Gives the container the nodes' restart policy in place (running or not; it is neither started nor stopped). */
    void restartUnlessStopped(String containerId) {
        run("setting the restart policy of " + containerId, () -> client.updateContainerCmd(containerId)
                .withRestartPolicy(NODE_RESTART).exec());
    }

    void pause(String containerId) {
        run("pausing " + containerId, () -> client.pauseContainerCmd(containerId).exec());
    }

    void unpause(String containerId) {
        run("unpausing " + containerId, () -> client.unpauseContainerCmd(containerId).exec());
    }

    void remove(String containerId) {
        run("removing " + containerId, () -> {
            try {
                client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException e) {
                log.debug("{} already removed", containerId);
            }
        });
    }

    /** The container's last log lines; empty when they cannot be read. */
    List<String> tailLogs(String containerId, int lines) {
        return LogTail.read(tail -> client.logContainerCmd(containerId).withStdOut(true).withStdErr(true)
                .withTail(lines).exec(tail), lines);
    }


    /**
     * Reads a container's log into {@code onLine}, line by line, on docker-java's thread; a negative
     * tail reads it all. A followed log ends when the container stops or the stream is closed.
     */
    LogStream streamLogs(String containerId, int tail, boolean follow, Consumer<String> onLine) {
        DockerClient c = follow ? streamingClient() : client;
        ContainerLog callback = new ContainerLog(containerId, onLine);
        run("reading the log of " + containerId, () -> {
            var cmd = c.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(follow);
            (tail < 0 ? cmd.withTailAll() : cmd.withTail(tail)).exec(callback);
        });
        return callback;
    }

    @Override
    public void close() {
        connection.close();
        DockerClient streaming;
        synchronized (this) {
            streaming = streamingClient;
        }
        if (streaming != null) {
            DockerClients.closeQuietly(streaming);
        }
    }
}
