package io.redisha.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** redisha's only door to the Docker Engine API. Every object it touches is found by label. */
public final class DockerEngine implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);
    private static final int STOP_TIMEOUT_SECONDS = 5;
    /** Where Redis keeps its data and redisha its config files, in the official image and the local one. */
    public static final String DATA_DIR = "/data";

    private final DockerClient client;
    private final String host;

    private DockerEngine(DockerClient client, String host) {
        this.client = client;
        this.host = host;
    }

    /** Connects to the engine named by DOCKER_HOST (or the default socket) and checks that it answers. */
    public static DockerEngine connect() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(120))
                .build();
        String host = config.getDockerHost().toString();
        DockerEngine engine = new DockerEngine(DockerClientImpl.getInstance(config, http), host);
        try {
            engine.client.pingCmd().exec();
        } catch (RuntimeException e) {
            engine.close();
            throw new EngineUnavailableException("the Docker engine at " + host + " does not answer ("
                    + rootMessage(e) + "); start it (scripts/setup does on Debian) or set DOCKER_HOST", e);
        }
        return engine;
    }

    public String host() {
        return host;
    }

    // ---- images ----------------------------------------------------------------------------

    public boolean imageExists(String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Builds an image from a directory with a Dockerfile; never pulls the base image. */
    public String buildImage(File contextDir, String tag, Map<String, String> buildArgs, Map<String, String> labels) {
        var cmd = client.buildImageCmd(contextDir)
                .withTags(Set.of(tag))
                .withPull(false)
                .withLabels(labels);
        buildArgs.forEach(cmd::withBuildArg);
        try {
            return cmd.exec(new BuildImageResultCallback()).awaitImageId(5, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            throw new DockerException("building image " + tag + " from " + contextDir + " failed: " + rootMessage(e), e);
        }
    }

    public void removeImage(String image) {
        try {
            client.removeImageCmd(image).withForce(false).exec();
        } catch (NotFoundException e) {
            log.debug("image {} already gone", image);
        }
    }

    // ---- networks --------------------------------------------------------------------------

    public Optional<Network> findNetwork(String project) {
        return client.listNetworksCmd().exec().stream()
                .filter(n -> n.getLabels() != null && project.equals(n.getLabels().get(Labels.PROJECT)))
                .findFirst();
    }

    /** The project's network, created when missing. */
    public String ensureNetwork(String name, String project) {
        Optional<Network> existing = findNetwork(project);
        if (existing.isPresent()) {
            return existing.get().getName();
        }
        try {
            client.createNetworkCmd().withName(name).withDriver("bridge")
                    .withLabels(Labels.project(project)).withCheckDuplicate(true).exec();
        } catch (com.github.dockerjava.api.exception.ConflictException e) {
            throw new DockerException("a network named " + name + " exists but is not labelled as project "
                    + project + "'s; remove or rename it", e);
        }
        return name;
    }

    public void removeNetworks(String project) {
        for (Network n : client.listNetworksCmd().exec()) {
            if (n.getLabels() != null && project.equals(n.getLabels().get(Labels.PROJECT))) {
                try {
                    client.removeNetworkCmd(n.getId()).exec();
                } catch (NotFoundException e) {
                    log.debug("network {} already gone", n.getName());
                }
            }
        }
    }

    public void disconnect(String containerId, String network) {
        client.disconnectFromNetworkCmd().withNetworkId(network).withContainerId(containerId).withForce(true).exec();
    }

    public void connect(String containerId, String network, List<String> aliases) {
        client.connectToNetworkCmd().withNetworkId(network).withContainerId(containerId)
                .withContainerNetwork(new ContainerNetwork().withAliases(aliases)).exec();
    }

    // ---- volumes ---------------------------------------------------------------------------

    private void ensureVolume(String name, Map<String, String> labels) {
        try {
            client.inspectVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            client.createVolumeCmd().withName(name).withLabels(labels).exec();
        }
    }

    /** Names of the project's volumes. */
    public List<String> listVolumes(String project) {
        var response = client.listVolumesCmd().withFilter("label", List.of(Labels.PROJECT + "=" + project)).exec();
        return response.getVolumes() == null ? List.of()
                : response.getVolumes().stream().map(InspectVolumeResponse::getName).toList();
    }

    public void removeVolume(String name) {
        try {
            client.removeVolumeCmd(name).exec();
        } catch (NotFoundException e) {
            log.debug("volume {} already gone", name);
        }
    }

    // ---- containers ------------------------------------------------------------------------

    /** All containers of the project, running or not, ordered by service then index. */
    public List<NodeContainer> listNodes(String project, String network) {
        List<Container> containers = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Labels.project(project)).exec();
        List<NodeContainer> nodes = new ArrayList<>();
        for (Container c : containers) {
            Map<String, String> labels = c.getLabels();
            Optional<Service> service = Service.fromLabel(labels.get(Labels.SERVICE));
            if (service.isEmpty()) {
                continue;
            }
            nodes.add(toNode(c, service.get(), parseIndex(labels.get(Labels.INDEX)), network));
        }
        nodes.sort(Comparator.comparing(NodeContainer::service).thenComparingInt(NodeContainer::index));
        return nodes;
    }

    private static NodeContainer toNode(Container c, Service service, int index, String network) {
        String name = c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
        String ip = null;
        if (c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks() != null && network != null) {
            ContainerNetwork net = c.getNetworkSettings().getNetworks().get(network);
            if (net != null && net.getIpAddress() != null && !net.getIpAddress().isEmpty()) {
                ip = net.getIpAddress();
            }
        }
        Integer hostPort = null;
        String hostIp = null;
        if (c.getPorts() != null) {
            for (var p : c.getPorts()) {
                if (p.getPrivatePort() != null && p.getPrivatePort() == service.port() && p.getPublicPort() != null) {
                    hostPort = p.getPublicPort();
                    hostIp = p.getIp();
                    break;
                }
            }
        }
        return new NodeContainer(c.getId(), name, service, index, ContainerState.of(c.getState()), ip, hostPort,
                hostIp, c.getImage());
    }

    private static int parseIndex(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException | NullPointerException e) {
            return 0;
        }
    }

    /** Creates the container, copies its files in and starts it; returns the container id. */
    public String createAndStart(ContainerSpec spec) {
        ExposedPort port = ExposedPort.tcp(spec.containerPort());
        Ports.Binding binding = spec.hostPort() == null
                ? Ports.Binding.bindIp(spec.hostIp())
                : Ports.Binding.bindIpAndPort(spec.hostIp(), spec.hostPort());
        HostConfig hostConfig = HostConfig.newHostConfig()
                .withNetworkMode(spec.network())
                .withPortBindings(new PortBinding(binding, port));
        if (spec.volume() != null) {
            ensureVolume(spec.volume(), spec.labels());
            hostConfig.withBinds(new Bind(spec.volume(), new Volume(DATA_DIR)));
        }
        if (spec.memoryBytes() != null) {
            // no swap beyond the limit: a Redis that swaps is slower than one that is refused
            hostConfig.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
        }
        String id;
        try {
            id = client.createContainerCmd(spec.image())
                    .withName(spec.name())
                    .withLabels(spec.labels())
                    .withCmd(spec.cmd())
                    .withExposedPorts(port)
                    .withHostConfig(hostConfig)
                    .withAliases(spec.aliases())
                    .exec().getId();
        } catch (NotFoundException e) {
            throw new DockerException("image " + spec.image() + " is not on the engine (run scripts/setup, or pull or load it)", e);
        } catch (com.github.dockerjava.api.exception.ConflictException e) {
            throw new DockerException("a container named " + spec.name() + " already exists but is not labelled as redisha's; remove or rename it", e);
        }
        if (!spec.files().isEmpty()) {
            copyFiles(id, spec.files());
        }
        try {
            client.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            throw new DockerException("starting " + spec.name() + " failed: " + rootMessage(e), e);
        }
        log.debug("started {} ({})", spec.name(), id);
        return id;
    }

    /** Copies files into a container as one tar archive, owned by root and readable by all. */
    public void copyFiles(String containerId, Map<String, byte[]> files) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(buffer)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey().replaceFirst("^/", ""));
                entry.setSize(file.getValue().length);
                entry.setMode(0600); // may hold a password; the image's entrypoint hands /data to the redis user
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client.copyArchiveToContainerCmd(containerId).withRemotePath("/")
                .withTarInputStream(new ByteArrayInputStream(buffer.toByteArray())).exec();
    }

    public InspectContainerResponse inspect(String containerId) {
        return client.inspectContainerCmd(containerId).exec();
    }

    public void start(String containerId) {
        try {
            client.startContainerCmd(containerId).exec();
        } catch (NotModifiedException e) {
            log.debug("{} already running", containerId);
        }
    }

    public void stop(String containerId) {
        try {
            client.stopContainerCmd(containerId).withTimeout(STOP_TIMEOUT_SECONDS).exec();
        } catch (NotModifiedException e) {
            log.debug("{} already stopped", containerId);
        }
    }

    public void kill(String containerId) {
        client.killContainerCmd(containerId).withSignal("SIGKILL").exec();
    }

    public void pause(String containerId) {
        client.pauseContainerCmd(containerId).exec();
    }

    public void unpause(String containerId) {
        client.unpauseContainerCmd(containerId).exec();
    }

    public void remove(String containerId) {
        try {
            client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            log.debug("{} already removed", containerId);
        }
    }

    /** The container's last log lines, for error messages; empty when they cannot be read. */
    public List<String> tailLogs(String containerId, int lines) {
        List<String> out = new ArrayList<>();
        try {
            client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                            for (String line : text.split("\n")) {
                                if (!line.isBlank()) {
                                    out.add(line.stripTrailing());
                                }
                            }
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("cannot read logs of {}", containerId, e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            log.debug("closing the Docker client", e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.strip();
    }
}
