package io.redisha.backend.docker;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import io.redisha.backend.AddressRange;
import io.redisha.backend.Backend;
import io.redisha.backend.BackendException;
import io.redisha.backend.Endpoint;
import io.redisha.backend.ExporterSpec;
import io.redisha.backend.Exporters;
import io.redisha.backend.FaultKind;
import io.redisha.backend.ImageBuilds;
import io.redisha.backend.ImageFacts;
import io.redisha.backend.InPlaceRepair;
import io.redisha.backend.LocalPorts;
import io.redisha.backend.LogStream;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.NodeSpec;
import io.redisha.backend.NodeState;
import io.redisha.backend.SelfRestart;
import io.redisha.backend.Service;
import io.redisha.backend.Snapshots;
import io.redisha.backend.StartScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One Docker engine, the host this process runs on: every node a container on the project's
 * bridge network, reached through a port published on the bind address.
 */
public final class SingleEngineBackend implements Backend, ImageBuilds, InPlaceRepair, LocalPorts {
    private static final Logger log = LoggerFactory.getLogger(SingleEngineBackend.class);
    public static final FaultKind PAUSE = EngineFaults.PAUSE;
    public static final FaultKind STOP = EngineFaults.STOP;
    public static final FaultKind KILL = EngineFaults.KILL;
    public static final FaultKind DISCONNECT = EngineFaults.DISCONNECT;
    public static final FaultKind PARTITION = EngineFaults.PARTITION;
    public static final FaultKind RESTART_FAST = EngineFaults.RESTART_FAST;
    /** What this backend can inject; the CLI offers exactly these. */
    public static final List<FaultKind> FAULTS = EngineFaults.FAULTS;

    private static final AtomicReference<CompletableFuture<DockerEngine>> AHEAD = new AtomicReference<>();

    private final DockerEngine engine;
    private final EngineRestarts restarts;
    private final String project;
    private final Protection protection;
    private final Map<String, List<String>> entrypoints = new java.util.concurrent.ConcurrentHashMap<>();
    private final String network;
    private final EngineFaults faults;

    /**
     * How a Redis node protects a data set its replicas would copy when it starts (docs/running-safely.md,
     * "Restart before detection"): through {@link StartScript}, before the image's entrypoint.
     *
     * @param holdBack         longest wait while the Sentinels still name the node's own address as
     *                         the master; zero when its data survives a restart (AOF)
     * @param sentinelPassword Sentinel's own password, or null; it reaches the node in a file
     * @param authUser         the ACL user the node logs in as, on the Sentinels and the other Redis nodes, with
     *                         {@code sentinelPassword}; null for the default user
     */
    public record Protection(String masterName, int sentinels, String sentinelPassword, Duration holdBack,
                             String authUser) {
        public Protection(String masterName, int sentinels, String sentinelPassword, Duration holdBack) {
            this(masterName, sentinels, sentinelPassword, holdBack, null);
        }

        /** Never the password itself. */
        @Override
        public String toString() {
            return "Protection[masterName=" + masterName + ", sentinels=" + sentinels + ", sentinelPassword="
                    + (sentinelPassword == null ? "none" : "set") + ", holdBack=" + holdBack + ", authUser=" + authUser + "]";
        }
    }

    /** Where a protected node finds Sentinel's password (mode 600, like its configuration). */
    static final String SENTINEL_AUTH_PATH = Naming.DATA_DIR + "/.redisha-sentinel-auth";

    /**
     * Where a protected node made with one password finds the ACL user to log in as once its deployment moved to
     * users in place (beside its configuration, as the start script looks for it); a node made with one password
     * gets it empty, so that a data volume kept from a node moved to users does not carry the user over.
     */
    static final String AUTH_USER_PATH = Naming.DATA_DIR + "/.redisha-auth-user";

    /**
     * Put into a node created with a new deployment and removed by its first start, which then does not
     * ask the Sentinels ({@link StartScript}). In the container's own file system, not in the data
     * directory: a volume kept from an earlier container must never carry one over.
     */
    static final String FIRST_START_PATH = "/tmp/.redisha-first-start";

    private SingleEngineBackend(DockerEngine engine, String project, Protection protection) {
        this.engine = engine;
        this.restarts = new EngineRestarts(engine);
        this.project = project;
        this.protection = protection;
        this.network = Naming.network(project);
        this.faults = new EngineFaults(engine, project);
    }

    /** Connects to the engine DOCKER_HOST names (or the default socket) and checks that it answers. */
    public static SingleEngineBackend connect(String project) {
        return connect(project, null);
    }

    /**
     * As {@link #connect(String)}, with the Redis nodes it creates starting through {@link StartScript}
     * when {@code protection} is not null.
     */
    public static SingleEngineBackend connect(String project, Protection protection) {
        CompletableFuture<DockerEngine> ahead = AHEAD.getAndSet(null);
        if (ahead == null) {
            return new SingleEngineBackend(DockerEngine.connect(), project, protection);
        }
        try {
            return new SingleEngineBackend(ahead.join(), project, protection);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Begins connecting to the engine in the background (docker-java's HTTP client and JSON mapper take
     * a good part of a short command's time), for the next {@link #connect}. A connection begun and not
     * taken is closed when the next one begins.
     */
    public static void connectAhead() {
        CompletableFuture<DockerEngine> ahead = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                ahead.complete(DockerEngine.connect());
            } catch (RuntimeException e) {
                ahead.completeExceptionally(e);
            }
        }, "redisha-connect");
        t.setDaemon(true);
        t.start();
        CompletableFuture<DockerEngine> untaken = AHEAD.getAndSet(ahead);
        if (untaken != null) {
            untaken.thenAccept(DockerEngine::close);
        }
    }

    @Override
    public String describe() {
        return engine.host();
    }

    @Override
    public Optional<ImageBuilds> imageBuilds() {
        return Optional.of(this);
    }

    @Override
    public Optional<InPlaceRepair> inPlaceRepair() {
        return Optional.of(this);
    }

    @Override
    public Optional<LocalPorts> localPorts() {
        return Optional.of(this);
    }

    @Override
    public Optional<SelfRestart> selfRestart() {
        return Optional.of(restarts);
    }

    @Override
    public Optional<Snapshots> snapshots() {
        return Optional.of(new EngineSnapshots(engine, project));
    }

    // ---- nodes -----------------------------------------------------------------------------

    @Override
    public List<Node> nodes() {
        List<Node> nodes = new ArrayList<>();
        for (Container c : engine.containers(Labels.project(project))) {
            Map<String, String> labels = c.getLabels();
            Optional<Service> service = Service.fromLabel(labels.get(Labels.SERVICE));
            service.ifPresent(s -> nodes.add(toNode(c, s, Labels.index(labels), labels.get(Labels.SETTINGS))));
        }
        nodes.sort(Comparator.comparing(Node::service).thenComparingInt(Node::index));
        return nodes;
    }

    private Node toNode(Container c, Service service, int index, String settings) {
        String name = c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
        String ip = null;
        if (c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks() != null) {
            ContainerNetwork net = c.getNetworkSettings().getNetworks().get(network);
            if (net != null && net.getIpAddress() != null && !net.getIpAddress().isEmpty()) {
                ip = net.getIpAddress();
            }
        }
        Endpoint dial = null;
        if (c.getPorts() != null) {
            for (var p : c.getPorts()) {
                if (p.getPrivatePort() != null && p.getPrivatePort() == service.port() && p.getPublicPort() != null) {
                    dial = new Endpoint(dialHost(p.getIp()), p.getPublicPort());
                    break;
                }
            }
        }
        return new Node(c.getId(), name, service, index, NodeState.of(c.getState()), ip, dial, c.getImage(), null, settings);
    }

    /** Where this host dials a published port: loopback for a wildcard binding, the bound address otherwise. */
    static String dialHost(String hostIp) {
        if (hostIp == null || hostIp.isEmpty() || "0.0.0.0".equals(hostIp) || "::".equals(hostIp)) {
            return "127.0.0.1";
        }
        return hostIp;
    }

    @Override
    public boolean exists() {
        return !nodes().isEmpty() || !engine.networks(Labels.project(project)).isEmpty();
    }

    @Override
    public String create(NodeSpec spec) {
        return create(spec, () -> { });
    }

    /** The container is created and its files copied in at once; it starts once {@code beforeStart} returns. */
    @Override
    public String create(NodeSpec spec, Runnable beforeStart) {
        Map<String, String> labels = Labels.node(project, spec.service(), spec.index(), spec.settings());
        if (spec.address() != null) {
            labels.put(Labels.ADDRESS, spec.address());
        }
        Map<String, byte[]> files = spec.files();
        List<String> entrypoint = null;
        if (protection != null && spec.service().isRedis()) {
            String auth = null;
            if (protection.sentinelPassword() != null) {
                files = new LinkedHashMap<>(files);
                files.put(SENTINEL_AUTH_PATH, protection.sentinelPassword().getBytes(StandardCharsets.UTF_8));
                auth = SENTINEL_AUTH_PATH;
            }
            if (protection.authUser() == null) {
                files = new LinkedHashMap<>(files);
                files.put(AUTH_USER_PATH, new byte[0]);
            }
            if (spec.fresh()) {
                files = new LinkedHashMap<>(files);
                files.put(FIRST_START_PATH, new byte[0]);
            }
            entrypoint = startScript(spec, auth);
        } else {
            entrypoint = withPrivateUmask(spec.image());
        }
        String id = engine.createAndStart(new DockerEngine.Create(spec.name(), spec.image(), labels, entrypoint, spec.cmd(),
                network, Naming.aliases(spec.service()), spec.address(), spec.service().port(), spec.bind(),
                spec.hostPort(), files, spec.volume(), Naming.DATA_DIR, spec.memoryBytes()), beforeStart);
        if (spec.exporter() != null) {
            removeExporters(spec.name()); // one left by a node removed outside redisha would hold the name
            createExporter(spec.name(), spec.bind(), spec.exporter());
        }
        return id;
    }

    /**
     * The node's exporter, on the project's network, its port published on the node's bind address, its
     * files owned by the image's user (the exporter runs as that user and reads them; nobody else may).
     */
    private void createExporter(String nodeName, String bind, ExporterSpec exporter) {
        Map<String, String> labels = Labels.project(project);
        labels.put(Labels.EXPORTER_OF, nodeName);
        ContainerConfig image = engine.imageConfig(exporter.image());
        if (image == null) {
            throw new BackendException("image " + exporter.image() + " (metrics.image) is not on the engine"
                    + " (run scripts/setup --images " + exporter.image() + ", or pull or load it)");
        }
        engine.createAndStart(new DockerEngine.Create(ExporterSpec.name(nodeName), exporter.image(), labels, null,
                exporter.cmd(), network, List.of(), null, exporter.port(), bind, exporter.hostPort(), exporter.files(), null, null,
                null, numericUser(image.getUser())));
    }

    /** {@code uid:gid} of the numeric user the image runs as, or null (root, a user by name, no such image). */
    public String imageUser(String image) {
        ContainerConfig config = engine.imageConfig(image);
        return config == null ? null : numericUser(config.getUser());
    }

    /** {@code uid:gid} of an image's numeric user ("59000:59000", "65534"); null for root or a user by name. */
    static String numericUser(String user) {
        if (user == null || !user.matches("[0-9]+(:[0-9]+)?")) {
            return null;
        }
        return user.contains(":") ? user : user + ":" + user;
    }

    private void removeExporters(String nodeName) {
        Map<String, String> labels = Labels.project(project);
        labels.put(Labels.EXPORTER_OF, nodeName);
        engine.containers(labels).forEach(c -> engine.remove(c.getId()));
    }

    @Override
    public Optional<Exporters> exporters() {
        return Optional.of(new Exporters() {
            @Override
            public List<Exporter> list() {
                return listExporters();
            }

            @Override
            public void replace(String nodeName, String bind, ExporterSpec spec) {
                removeExporters(nodeName);
                createExporter(nodeName, bind, spec);
            }
        });
    }

    private List<Exporters.Exporter> listExporters() {
        List<Exporters.Exporter> found = new ArrayList<>();
        for (Container c : engine.containers(Labels.project(project))) {
            String node = c.getLabels().get(Labels.EXPORTER_OF);
            if (node == null) {
                continue;
            }
            Endpoint dial = null;
            // an exporter publishes one port, its metrics'
            for (var p : c.getPorts() == null ? new com.github.dockerjava.api.model.ContainerPort[0] : c.getPorts()) {
                if (p.getPublicPort() != null) {
                    dial = new Endpoint(dialHost(p.getIp()), p.getPublicPort());
                    break;
                }
            }
            found.add(new Exporters.Exporter(c.getId(), node, NodeState.of(c.getState()), dial));
        }
        found.sort(Comparator.comparing(Exporters.Exporter::node));
        return found;
    }

    /**
     * {@code sh -c SCRIPT redisha-start OPTIONS... -- ENTRYPOINT...}: the script, then the image's own
     * entrypoint with the node's command. The configuration file it edits is the node's own, kept across restarts.
     */
    private List<String> startScript(NodeSpec spec, String auth) {
        List<String> entrypoint = new ArrayList<>(StartScript.command(project, spec.files(), protection.sentinels(),
                protection.masterName(), protection.holdBack(), auth, auth == null ? null : protection.authUser(),
                spec.fresh() ? FIRST_START_PATH : null));
        entrypoint.addAll(entrypoint(spec.image()));
        return entrypoint;
    }

    /**
     * {@code sh -c 'umask 077 && exec "$@"' redisha-umask ENTRYPOINT...}: the image's own entrypoint with
     * the node's command, under a umask that keeps a configuration file the server rewrites (Sentinel at
     * every failover, mode 0644 & ~umask) as private as redisha copied it (0600): it holds passwords.
     */
    private List<String> withPrivateUmask(String image) {
        List<String> entrypoint = new ArrayList<>(List.of("sh", "-c", "umask 077 && exec \"$@\"", "redisha-umask"));
        entrypoint.addAll(entrypoint(image));
        return entrypoint;
    }

    /** The image's own entrypoint (empty for none), which a node's start script runs after its own lines. */
    public List<String> entrypoint(String image) {
        return entrypoints.computeIfAbsent(image, i -> imageFacts(i).map(ImageFacts::entrypoint).orElse(List.of()));
    }

    @Override
    public void start(Node node) {
        engine.start(node.id());
    }

    @Override
    public void stop(Node node) {
        engine.stop(node.id());
    }

    /** With its exporter. */
    @Override
    public void remove(Node node) {
        removeExporters(node.name());
        engine.remove(node.id());
    }

    @Override
    public void resume(Node node) {
        engine.unpause(node.id());
    }

    /** With the node's fixed address, if it has one: the engine would otherwise pick another. */
    @Override
    public void reattach(Node node) {
        faults.reattach(node);
    }

    @Override
    public void startWith(Node node, Map<String, byte[]> files) {
        engine.copyFiles(node.id(), files);
        engine.start(node.id());
    }

    @Override
    public boolean replacesFiles() {
        return true;
    }

    @Override
    public void replaceFiles(Node node, Map<String, byte[]> files) {
        engine.replaceFiles(node.id(), files);
    }

    @Override
    public Optional<byte[]> readFile(Node node, String path) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        engine.copyOut(node.id(), path, out, copied -> { });
        return Optional.of(out.toByteArray());
    }

    @Override
    public boolean renewProtectionPassword(Node node) {
        if (protection == null || protection.sentinelPassword() == null || !node.service().isRedis()) {
            return false;
        }
        engine.replaceFiles(node.id(), Map.of(SENTINEL_AUTH_PATH, protection.sentinelPassword().getBytes(StandardCharsets.UTF_8)));
        return true;
    }

    @Override
    public Optional<String> protectionPassword(Node node) {
        if (protection == null || protection.authUser() == null || !node.service().isRedis()) {
            return Optional.empty();
        }
        return readFile(node, SENTINEL_AUTH_PATH).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public boolean protectAsUser(Node node) {
        if (protection == null || protection.authUser() == null || protection.sentinelPassword() == null
                || !node.service().isRedis()) {
            return false;
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(SENTINEL_AUTH_PATH, protection.sentinelPassword().getBytes(StandardCharsets.UTF_8));
        files.put(AUTH_USER_PATH, protection.authUser().getBytes(StandardCharsets.UTF_8));
        engine.replaceFiles(node.id(), files);
        return true;
    }

    @Override
    public List<String> logs(Node node, int lines) {
        return engine.tailLogs(node.id(), lines);
    }

    @Override
    public LogStream streamLogs(Node node, int tail, boolean follow, Consumer<String> onLine) {
        return engine.streamLogs(node.id(), tail, follow, onLine);
    }

    // ---- infrastructure --------------------------------------------------------------------

    @Override
    public boolean imageExists(String image) {
        return engine.imageExists(image);
    }

    @Override
    public Optional<ImageFacts> imageFacts(String image) {
        ContainerConfig config = engine.imageConfig(image);
        if (config == null) {
            return Optional.empty();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : config.getEnv() == null ? new String[0] : config.getEnv()) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return Optional.of(new ImageFacts(config.getCmd() == null ? null : List.of(config.getCmd()),
                config.getEntrypoint() == null ? null : List.of(config.getEntrypoint()), env, config.getLabels()));
    }

    @Override
    public Optional<String> runOnce(String image, String program, List<String> args) {
        Map<String, String> labels = Labels.project(project);
        labels.put(Labels.PROBE, "true");
        return Optional.ofNullable(engine.runOnce(image, program, args, labels));
    }

    /** Skipped when the image was built from the same inputs (Docker would only replay its layer cache). */
    @Override
    public boolean buildImage(File contextDir, String tag, Map<String, String> buildArgs) {
        String digest = BuildInputs.digest(contextDir.toPath(), buildArgs, engine::imageId);
        if (digest.equals(engine.imageLabel(tag, Labels.BUILD_DIGEST))) {
            return false;
        }
        Map<String, String> labels = Labels.project(project);
        labels.put(Labels.BUILD_DIGEST, digest);
        engine.buildImage(contextDir, tag, buildArgs, labels);
        return true;
    }

    @Override
    public void removeImage(String tag) {
        engine.removeImage(tag);
    }

    @Override
    public int removeOldImages() {
        int removed = 0;
        for (String id : engine.untaggedImages(Labels.project(project))) {
            if (engine.removeUnusedImage(id)) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public Optional<AddressRange> ensureNetwork() {
        List<Network> existing = projectNetworks();
        if (!existing.isEmpty()) {
            Optional<AddressRange> fixed = FixedAddresses.of(existing.get(0));
            if (fixed.isPresent() || !nodes().isEmpty()) {
                return fixed;
            }
            // an empty network of an older redisha: replaced by one that keeps fixed addresses
            existing.forEach(engine::removeNetwork);
        }
        return createNetwork();
    }

    /**
     * The engine picks a free subnet (it knows the other networks and the host's routes), and the
     * network is created again with that subnet given explicitly, which fixed addresses require.
     * Another network can take the subnet in between: then it tries again; in the end it settles for a
     * network without fixed addresses.
     */
    private Optional<AddressRange> createNetwork() {
        Map<String, String> labels = Labels.project(project);
        for (int attempt = 1; attempt <= 3; attempt++) {
            Network picked = engine.inspectNetwork(engine.createNetwork(network, labels, null));
            Optional<Network.Ipam.Config> config = FixedAddresses.subnetAndGateway(picked)
                    .flatMap(sg -> FixedAddresses.configFor(sg[0], sg[1]));
            if (config.isEmpty()) {
                return Optional.empty();
            }
            engine.removeNetwork(picked);
            try {
                engine.createNetwork(network, labels, config.get());
                return FixedAddresses.of(config.get());
            } catch (BackendException e) {
                log.debug("subnet {} taken meanwhile (attempt {})", config.get().getSubnet(), attempt, e);
            }
        }
        engine.createNetwork(network, labels, null);
        return Optional.empty();
    }

    /** The project's own network, not a partition's side network. */
    private List<Network> projectNetworks() {
        return engine.networks(Labels.project(project)).stream().filter(n -> !Labels.isPartition(n.getLabels())).toList();
    }

    /** Exporters whose node is gone too: they are on the network. */
    @Override
    public void removeSharedObjects() {
        for (Container c : engine.containers(Labels.project(project))) {
            if (c.getLabels().containsKey(Labels.EXPORTER_OF)) {
                engine.remove(c.getId());
            }
        }
        for (Network n : engine.networks(Labels.project(project))) {
            engine.removeNetwork(n);
        }
    }

    @Override
    public List<String> volumes() {
        return engine.volumes(Labels.PROJECT, project);
    }

    @Override
    public void removeVolume(String name) {
        engine.removeVolume(name);
    }

    /** Binds the port for an instant (a local bind, no traffic): the engine publishes on this host. */
    @Override
    public boolean hostPortFree(String bind, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- faults ----------------------------------------------------------------------------

    @Override
    public List<FaultKind> faults() {
        return FAULTS;
    }

    @Override
    public void inject(FaultKind fault, Node target) {
        faults.inject(fault, target);
    }

    /** Looks at the container first, so healing twice, or a fault never fully injected, is safe. */
    @Override
    public boolean heal(FaultKind fault, Node target) {
        return faults.heal(fault, target);
    }

    /** A partition that a killed redisha left in place: every node on the side network is healed, the network removed. */
    @Override
    public List<String> removeFaultLeftovers() {
        return faults.removeLeftovers(nodes());
    }

    @Override
    public Backend reopen() {
        return connect(project, protection);
    }

    @Override
    public void close() {
        engine.close();
    }
}
