package io.redisha.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeAvailability;
import com.github.dockerjava.api.model.SwarmNodeState;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.VolumeOptions;
import io.redisha.backend.AddressRange;
import io.redisha.backend.Backend;
import io.redisha.backend.BackendException;
import io.redisha.backend.Endpoint;
import io.redisha.backend.FaultKind;
import io.redisha.backend.ImageFacts;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.NodeSpec;
import io.redisha.backend.NodeState;
import io.redisha.backend.ProjectLock;
import io.redisha.backend.Service;
import io.redisha.backend.StartScript;
import io.redisha.backend.docker.SingleEngineBackend;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker Swarm reached through one manager (DOCKER_HOST): every node a Swarm service of one task,
 * pinned to a host of its own, on the project's attachable overlay network (endpoint mode dnsrr, no
 * VIP), its port published in host mode on that host. Configuration files travel as Swarm configs,
 * or secrets when they hold a password. See README "Docker Swarm".
 */
public final class SwarmBackend implements Backend {
    public static final FaultKind STOP = new FaultKind("stop", "stopped", "started", true,
            "Swarm: the node's service scaled to 0 (its task shut down), back to 1 to heal");
    public static final FaultKind DRAIN = new FaultKind("drain", "drained", "reactivated", true,
            "Swarm: the node's host set to availability drain (Swarm stops its tasks), active to heal");
    public static final List<FaultKind> FAULTS = List.of(STOP, DRAIN);

    static final String PROJECT = "io.redisha.project";
    static final String SERVICE = "io.redisha.service";
    static final String INDEX = "io.redisha.index";
    static final String SETTINGS = "io.redisha.settings";
    private static final String CONFIG_DIR = "/run/redisha/";
    private static final String SECRET_DIR = "/run/secrets/";
    /** The file, among a Redis task's secrets, holding Sentinel's password. */
    private static final String SENTINEL_AUTH = "redisha-sentinel-auth";
    private static final Pattern PINNED = Pattern.compile("node\\.hostname\\s*==\\s*(\\S+)");
    private static final Pattern DIAL = Pattern.compile("([^+]+)(?:\\+([0-9]+))?");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SwarmBackend.class);
    private static final long STOP_GRACE_NANOS = Duration.ofSeconds(5).toNanos();

    /**
     * How this backend is set up from the topology.
     *
     * @param redisImage       the topology's image: Sentinels run it too (no image is built, see {@link #buildImage})
     * @param dial             swarm hostname to ADDRESS or ADDRESS+OFFSET (topology swarm.dial)
     * @param acceptRisk       topology swarm.accept-risk
     * @param restartDelay     how long Swarm waits before starting a failed task again: longer than Sentinel
     *                         needs to promote a replica, so a master restarted without its data never
     *                         comes back while its replicas still follow it
     * @param sentinelPassword Sentinel's own password, or null: a Redis task needs it to ask the Sentinels
     *                         at start (it reaches the task as a Swarm secret)
     * @param holdBack         how long a starting Redis task waits while the Sentinels still name its own
     *                         address as the master (no failover yet); zero when its data survives (AOF)
     * @param engines          swarm hostname to that host's own engine (topology swarm.engines), where its
     *                         data volumes are listed and removed
     */
    public record Options(String redisImage, Map<String, String> dial, boolean acceptRisk, Duration restartDelay,
                          String masterName, int sentinels, String sentinelPassword, Duration holdBack,
                          Map<String, String> engines) {

        /** Never the password itself. */
        @Override
        public String toString() {
            return "Options[redisImage=" + redisImage + ", dial=" + dial + ", acceptRisk=" + acceptRisk
                    + ", restartDelay=" + restartDelay + ", masterName=" + masterName + ", sentinels=" + sentinels
                    + ", sentinelPassword=" + (sentinelPassword == null ? "none" : "set") + ", holdBack=" + holdBack
                    + ", engines=" + engines + "]";
        }
    }

    private final SwarmApi api;
    private final SingleEngineBackend manager;
    private final String project;
    private final String network;
    private final Options options;
    private final Object placing = new Object();
    private final Map<String, List<String>> entrypoints = new java.util.concurrent.ConcurrentHashMap<>();

    private SwarmBackend(SwarmApi api, SingleEngineBackend manager, String project, Options options) {
        this.api = api;
        this.manager = manager;
        this.project = project;
        this.network = Naming.network(project);
        this.options = options;
    }

    /** Connects to the Swarm manager DOCKER_HOST names and checks that it is one. */
    public static SwarmBackend connect(String project, Options options) {
        SwarmApi api = SwarmApi.connect();
        try {
            var info = api.call("reading the engine's info", () -> api.client.infoCmd().exec());
            var swarm = info.getSwarm();
            if (swarm == null || swarm.getControlAvailable() == null || !swarm.getControlAvailable()) {
                throw new BackendException("the engine at " + api.host + " is not a Swarm manager (platform: swarm);"
                        + " point DOCKER_HOST at a manager (scripts/swarm-lab env prints one for the lab)");
            }
            return new SwarmBackend(api, SingleEngineBackend.connect(project), project, options);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return "the Docker Swarm managed at " + api.host;
    }

    // ---- hosts -----------------------------------------------------------------------------

    /** The Swarm's nodes by hostname. */
    private Map<String, SwarmNode> hosts() {
        Map<String, SwarmNode> hosts = new TreeMap<>();
        for (SwarmNode n : api.call("listing swarm nodes", () -> api.client.listSwarmNodesCmd().exec())) {
            hosts.put(n.getDescription().getHostname(), n);
        }
        return hosts;
    }

    private static boolean usable(SwarmNode n) {
        return n.getStatus() != null && n.getStatus().getState() == SwarmNodeState.READY
                && n.getSpec() != null && n.getSpec().getAvailability() == SwarmNodeAvailability.ACTIVE;
    }

    private static String hostState(SwarmNode n) {
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

    @Override
    public List<String> hostProblems() {
        Map<String, SwarmNode> hosts = hosts();
        Set<String> pinned = new java.util.TreeSet<>();
        services().forEach(s -> pinnedHost(s).ifPresent(pinned::add));
        List<String> problems = new ArrayList<>();
        for (String h : pinned) {
            String state = hostState(hosts.get(h));
            if (!"ready".equals(state)) {
                problems.add("host " + h + " is " + state);
            }
        }
        return problems;
    }

    /** A rescheduled task gets a new address on the overlay network; its name stays. */
    @Override
    public boolean addressesMove() {
        return true;
    }

    @Override
    public Optional<String> placementProblem(int redisServers, int sentinels, int quorum) {
        List<String> usable = hosts().entrySet().stream().filter(e -> usable(e.getValue())).map(Map.Entry::getKey).toList();
        return new Placement(usable, options.acceptRisk()).problem(redisServers, sentinels, quorum);
    }

    // ---- nodes -----------------------------------------------------------------------------

    private List<com.github.dockerjava.api.model.Service> services() {
        return api.call("listing services", () -> api.client.listServicesCmd()
                .withLabelFilter(Map.of(PROJECT, project)).exec());
    }

    private static Optional<String> pinnedHost(com.github.dockerjava.api.model.Service s) {
        TaskSpec task = s.getSpec().getTaskTemplate();
        if (task == null || task.getPlacement() == null || task.getPlacement().getConstraints() == null) {
            return Optional.empty();
        }
        for (String c : task.getPlacement().getConstraints()) {
            Matcher m = PINNED.matcher(c);
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Node> nodes() {
        List<com.github.dockerjava.api.model.Service> services = services();
        if (services.isEmpty()) {
            return List.of();
        }
        Map<String, SwarmNode> hosts = hosts();
        List<JsonNode> tasks = api.tasks(services.stream().map(com.github.dockerjava.api.model.Service::getId).toList());
        List<Node> nodes = new ArrayList<>();
        for (var s : services) {
            Map<String, String> labels = s.getSpec().getLabels() == null ? Map.of() : s.getSpec().getLabels();
            Optional<Service> kind = Service.fromLabel(labels.get(SERVICE));
            if (kind.isEmpty()) {
                continue;
            }
            nodes.add(toNode(s, kind.get(), parseIndex(labels.get(INDEX)), labels.get(SETTINGS), hosts, tasks));
        }
        nodes.sort(Comparator.comparing(Node::service).thenComparingInt(Node::index));
        return nodes;
    }

    private Node toNode(com.github.dockerjava.api.model.Service s, Service kind, int index, String settings,
                        Map<String, SwarmNode> hosts,
                        List<JsonNode> tasks) {
        String host = pinnedHost(s).orElse(null);
        long replicas = s.getSpec().getMode() == null || s.getSpec().getMode().getReplicated() == null ? 1
                : s.getSpec().getMode().getReplicated().getReplicas();
        JsonNode task = tasks.stream()
                .filter(t -> s.getId().equals(t.path("ServiceID").asText()))
                .filter(t -> Set.of("running", "ready").contains(t.path("DesiredState").asText()))
                .max(Comparator.comparingLong(t -> t.path("Version").path("Index").asLong()))
                .orElse(null);
        NodeState state;
        String hostState = host == null ? null : hostState(hosts.get(host));
        // "unknown": a newly elected leader has not heard from the host yet (seconds after an election,
        // e.g. when a partitioned manager rejoins); its tasks' states are the best word there is
        if (replicas == 0 || host == null || !("ready".equals(hostState) || "unknown".equals(hostState))) {
            state = NodeState.EXITED;
        } else if (task != null && "running".equals(task.path("Status").path("State").asText())) {
            state = NodeState.RUNNING;
        } else {
            state = NodeState.RESTARTING; // being scheduled, started, or waiting out the restart delay
        }
        String ip = null;
        Endpoint dial = null;
        if (state == NodeState.RUNNING) {
            for (JsonNode attachment : task.path("NetworksAttachments")) {
                if (network.equals(attachment.path("Network").path("Spec").path("Name").asText())
                        && attachment.path("Addresses").size() > 0) {
                    ip = attachment.path("Addresses").get(0).asText().replaceFirst("/.*$", "");
                }
            }
            dial = dial(host, publishedPort(s, kind));
        }
        String image = s.getSpec().getTaskTemplate().getContainerSpec().getImage();
        return new Node(s.getId(), s.getSpec().getName(), kind, index, state, ip, dial, image, host, settings);
    }

    private static int publishedPort(com.github.dockerjava.api.model.Service s, Service kind) {
        EndpointSpec endpoint = s.getSpec().getEndpointSpec();
        if (endpoint != null && endpoint.getPorts() != null) {
            for (PortConfig p : endpoint.getPorts()) {
                if (p.getTargetPort() == kind.port()) {
                    return p.getPublishedPort();
                }
            }
        }
        return kind.port();
    }

    /** Where this machine reaches a port published on a host: topology swarm.dial, else the hostname itself. */
    Endpoint dial(String host, int port) {
        String rule = options.dial().get(host);
        if (rule == null) {
            return new Endpoint(host, port);
        }
        Matcher m = DIAL.matcher(rule);
        if (!m.matches()) {
            throw new BackendException("swarm.dial." + host + ": " + rule + " is not ADDRESS or ADDRESS+OFFSET");
        }
        return new Endpoint(m.group(1), port + (m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
    }

    private static int parseIndex(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException | NullPointerException e) {
            return 0;
        }
    }

    @Override
    public boolean exists() {
        return !services().isEmpty() || !networks().isEmpty();
    }

    // ---- creating a node -------------------------------------------------------------------

    @Override
    public String create(NodeSpec spec) {
        String image = spec.service() == Service.SENTINEL ? options.redisImage() : spec.image();
        synchronized (placing) {
            Spot spot = chooseHost(spec.service());
            String host = spot.host();
            int port = spec.hostPort() == null ? spot.port() : spec.hostPort();
            Map<String, String> labels = labels(spec.service(), spec.index());
            if (spec.settings() != null) {
                labels.put(SETTINGS, spec.settings());
            }
            ContainerSpec container = container(spec.name(), image, spec.cmd(), spec.files(), labels, spec.index(), spec.service())
                    .withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(Naming.dataVolume(spec.name()))
                            .withTarget(Naming.DATA_DIR).withVolumeOptions(new VolumeOptions().withLabels(labels))));
            TaskSpec task = new TaskSpec()
                    .withContainerSpec(container)
                    .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                            .withDelay(options.restartDelay().toNanos()).withMaxAttempts(0L))
                    .withPlacement(new ServicePlacement().withConstraints(List.of("node.hostname==" + host)))
                    .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(network)
                            .withAliases(Naming.aliases(spec.service()))));
            if (spec.memoryBytes() != null) {
                task.withResources(new ResourceRequirements().withLimits(new ResourceSpecs().withMemoryBytes(spec.memoryBytes())));
            }
            ServiceSpec service = new ServiceSpec()
                    .withName(spec.name())
                    .withLabels(labels)
                    .withTaskTemplate(task)
                    .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)))
                    .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR)
                            .withPorts(List.of(new PortConfig().withProtocol(PortConfigProtocol.TCP)
                                    .withTargetPort(spec.service().port()).withPublishedPort(port)
                                    .withPublishMode(PortConfig.PublishMode.host))));
            return api.call("creating service " + spec.name() + " on " + host, () -> {
                try {
                    return api.client.createServiceCmd(service).exec().getId();
                } catch (ConflictException e) {
                    throw new BackendException("a service named " + spec.name() + " exists but is not labelled as"
                            + " project " + project + "'s; remove or rename it", e);
                }
            });
        }
    }

    /** A host for a new node, and the first port of its kind that no node of the project publishes there. */
    record Spot(String host, int port) {
    }

    /**
     * The usable host that runs the fewest nodes of the same kind (Redis server or Sentinel), the
     * first by name among equals: the spread {@link Placement} assumes. A Redis server shares a host
     * only when the topology accepts the risk.
     */
    private Spot chooseHost(Service kind) {
        Map<String, Integer> load = new TreeMap<>();
        Map<String, Set<Integer>> ports = new TreeMap<>();
        for (var s : services()) {
            Optional<String> pinned = pinnedHost(s);
            Optional<Service> other = Service.fromLabel(s.getSpec().getLabels() == null ? null
                    : s.getSpec().getLabels().get(SERVICE));
            if (pinned.isEmpty() || other.isEmpty()) {
                continue;
            }
            ports.computeIfAbsent(pinned.get(), h -> new HashSet<>()).add(publishedPort(s, other.get()));
            if (other.get().isRedis() == kind.isRedis()) {
                load.merge(pinned.get(), 1, Integer::sum);
            }
        }
        Map<String, SwarmNode> hosts = hosts();
        String best = null;
        for (var h : hosts.entrySet()) {
            if (usable(h.getValue()) && (best == null || load.getOrDefault(h.getKey(), 0) < load.getOrDefault(best, 0))) {
                best = h.getKey();
            }
        }
        if (best == null || (kind.isRedis() && load.getOrDefault(best, 0) > 0 && !options.acceptRisk())) {
            throw new BackendException("no usable swarm host is left for another " + (kind.isRedis() ? "Redis server"
                    : "Sentinel") + ": each Redis server runs on a host of its own and " + load.keySet() + " are taken"
                    + " (hosts: " + hosts.keySet() + "; swarm.accept-risk: true lets two share a host)");
        }
        Set<Integer> used = ports.getOrDefault(best, Set.of());
        int port = kind.port();
        while (used.contains(port)) {
            port++;
        }
        return new Spot(best, port);
    }

    private Map<String, String> labels(Service service, int index) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PROJECT, project);
        labels.put(SERVICE, service.label());
        labels.put(INDEX, Integer.toString(index));
        return labels;
    }

    /**
     * The container: its files mounted from Swarm configs or secrets and copied into the data
     * directory at start when they changed (Sentinel rewrites its file, and a CONFIG REWRITE of a
     * server must survive a restart of its task), then the image's own entrypoint and the command.
     */
    private ContainerSpec container(String name, String image, List<String> cmd, Map<String, byte[]> files,
                                    Map<String, String> labels, int index, Service service) {
        List<ContainerSpecConfig> configs = new ArrayList<>();
        List<ContainerSpecSecret> secrets = new ArrayList<>();
        TaskScript script = new TaskScript();
        for (var file : new TreeMap<>(files).entrySet()) {
            String base = file.getKey().substring(file.getKey().lastIndexOf('/') + 1);
            String objectName = objectName(name, file.getKey(), file.getValue());
            String mounted;
            String id;
            if (holdsPassword(file.getValue())) {
                id = ensureSecret(objectName, file.getValue(), labels);
                secrets.add(new ContainerSpecSecret().withSecretId(id).withSecretName(objectName)
                        .withFile(new ContainerSpecFile().withName(base).withUid("0").withGid("0").withMode(0400L)));
                mounted = SECRET_DIR + base;
            } else {
                id = ensureConfig(objectName, file.getValue(), labels);
                configs.add(new ContainerSpecConfig().withConfigID(id).withConfigName(objectName)
                        .withFile(new ContainerSpecFile().withName(CONFIG_DIR + base).withUid("0").withGid("0").withMode(0444L)));
                mounted = CONFIG_DIR + base;
            }
            String dir = file.getKey().substring(0, file.getKey().lastIndexOf('/') + 1);
            script.apply(mounted, file.getKey(), dir + ".redisha-applied-" + base, id);
        }
        List<String> command = new ArrayList<>();
        if (service.isRedis()) {
            String auth = null;
            if (options.sentinelPassword() != null) {
                byte[] password = options.sentinelPassword().getBytes(StandardCharsets.UTF_8);
                String objectName = objectName(name, SENTINEL_AUTH, password);
                secrets.add(new ContainerSpecSecret().withSecretId(ensureSecret(objectName, password, labels))
                        .withSecretName(objectName).withFile(new ContainerSpecFile().withName(SENTINEL_AUTH)
                                .withUid("0").withGid("0").withMode(0400L)));
                auth = SECRET_DIR + SENTINEL_AUTH;
            }
            command.addAll(StartScript.command(project, files, options.sentinels(), options.masterName(),
                    options.holdBack(), auth, null));
        }
        command.addAll(entrypoint(image));
        command.addAll(cmd);
        return new ContainerSpec().withImage(image).withLabels(labels).withCommand(script.then(command))
                .withConfigs(configs).withSecrets(secrets).withStopGracePeriod(STOP_GRACE_NANOS);
    }

    private List<String> entrypoint(String image) {
        return entrypoints.computeIfAbsent(image, i -> manager.imageFacts(i).map(ImageFacts::entrypoint).orElse(List.of()));
    }

    /** A file that holds a password goes into a Swarm secret (encrypted at rest, in memory in the task), never a config. */
    static boolean holdsPassword(byte[] content) {
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            String l = line.strip();
            if (l.startsWith("requirepass") || l.startsWith("masterauth") || l.startsWith("sentinel auth-pass")
                    || l.startsWith("sentinel sentinel-pass") || l.startsWith("user ")) {
                return true;
            }
        }
        return false;
    }

    /** Configs and secrets cannot change: a new content is a new object, named after a hash of it. */
    static String objectName(String nodeName, String path, byte[] content) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(path.getBytes(StandardCharsets.UTF_8));
            sha.update(content);
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 12);
            String prefix = nodeName.length() > 51 ? nodeName.substring(0, 51) : nodeName;
            return prefix + "." + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String ensureConfig(String name, byte[] content, Map<String, String> labels) {
        return api.call("creating config " + name, () -> {
            var existing = api.client.listConfigsCmd().withFilters(Map.of("name", List.of(name))).exec().stream()
                    .filter(c -> name.equals(c.getSpec().getName())).findFirst();
            if (existing.isPresent()) {
                return existing.get().getId();
            }
            return api.client.createConfigCmd().withName(name).withData(content).withLabels(labels).exec().getId();
        });
    }

    private String ensureSecret(String name, byte[] content, Map<String, String> labels) {
        String existing = api.call("listing secret " + name, () -> api.client.listSecretsCmd()
                .withNameFilter(List.of(name)).exec().stream().filter(s -> name.equals(s.getSpec().getName()))
                .map(com.github.dockerjava.api.model.Secret::getId).findFirst().orElse(null));
        return existing != null ? existing : api.createSecret(name, content, labels);
    }

    // ---- life cycle ------------------------------------------------------------------------

    private void update(Node node, String what, java.util.function.Consumer<ServiceSpec> change) {
        api.run(what + " " + node.name(), () -> {
            var s = api.client.inspectServiceCmd(node.id()).exec();
            ServiceSpec spec = s.getSpec();
            change.accept(spec);
            api.client.updateServiceCmd(node.id(), spec).withVersion(s.getVersion().getIndex()).exec();
        });
    }

    private void scale(Node node, int replicas) {
        update(node, replicas == 0 ? "stopping" : "starting", spec ->
                spec.withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas))));
    }

    private long replicas(Node node) {
        var s = api.call("inspecting service " + node.name(), () -> api.client.inspectServiceCmd(node.id()).exec());
        return s.getSpec().getMode() == null || s.getSpec().getMode().getReplicated() == null ? 1
                : s.getSpec().getMode().getReplicated().getReplicas();
    }

    @Override
    public void start(Node node) {
        if (replicas(node) == 0) {
            scale(node, 1);
        }
    }

    /**
     * Scales the node's service to 0 and returns once its task no longer runs, as a stop on one engine
     * does: a Sentinel still running would announce itself again to Sentinels being reset.
     */
    @Override
    public void stop(Node node) {
        scale(node, 0);
        awaitNoTaskRunning(node);
    }

    /**
     * Removes the node's service; Swarm stops its task afterwards (and forgets it, so nothing can be
     * awaited here): a node that must be gone first is stopped first, as a shrink does.
     */
    @Override
    public void remove(Node node) {
        api.run("removing service " + node.name(), () -> {
            try {
                api.client.removeServiceCmd(node.id()).exec();
            } catch (NotFoundException e) {
                // already gone
            }
        });
    }

    /**
     * Until no task of the node's service runs, at most the grace period and 20 s. Not when its host
     * is down: the tasks there still read running, and stop when the host is back.
     */
    private void awaitNoTaskRunning(Node node) {
        SwarmNode host = node.host() == null ? null : hosts().get(node.host());
        if (host == null || host.getStatus() == null || host.getStatus().getState() != SwarmNodeState.READY) {
            return;
        }
        Duration limit = Duration.ofNanos(STOP_GRACE_NANOS).plusSeconds(20);
        Poll<Void> stopped = Await.quietly().until(Await.deadline(limit), () -> Poll.unless(
                api.tasks(List.of(node.id())).stream().anyMatch(t -> "running".equals(t.path("Status").path("State").asText()))
                        ? node.name() + " still runs" : null));
        if (!stopped.done()) {
            throw new BackendException("the task of " + node.name() + " on " + node.host() + " did not stop within "
                    + limit.toSeconds() + " s");
        }
    }

    /** Swarm has no pause: nothing to resume. */
    @Override
    public void resume(Node node) {
    }

    /** A task is attached to the overlay network for its whole life. */
    @Override
    public void reattach(Node node) {
    }

    /** New configs (or secrets) for the files, the service updated to mount them, and one task running. */
    @Override
    public void startWith(Node node, Map<String, byte[]> files) {
        update(node, "reconfiguring", spec -> {
            TaskSpec task = spec.getTaskTemplate();
            ContainerSpec old = task.getContainerSpec();
            List<String> cmd = old.getCommand();
            List<String> tail = TaskScript.nodeCommand(cmd, entrypoint(old.getImage()).size());
            ContainerSpec fresh = container(node.name(), old.getImage(), tail, files, old.getLabels(), node.index(), node.service());
            task.withContainerSpec(old.withCommand(fresh.getCommand()).withConfigs(fresh.getConfigs())
                    .withSecrets(fresh.getSecrets()));
            task.withForceUpdate(task.getForceUpdate() == null ? 1 : task.getForceUpdate() + 1);
            spec.withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)));
        });
    }

    @Override
    public List<String> logs(Node node, int lines) {
        List<String> out = new ArrayList<>();
        try {
            api.client.logServiceCmd(node.id()).withStdout(true).withStderr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            for (String line : new String(frame.getPayload(), StandardCharsets.UTF_8).split("\n")) {
                                if (!line.isBlank()) {
                                    out.add(line.stripTrailing());
                                }
                            }
                        }
                    }).awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return List.of();
        }
        return out.size() > lines ? out.subList(out.size() - lines, out.size()) : out;
    }

    // ---- infrastructure --------------------------------------------------------------------

    /** On the manager's engine; Swarm runs no registry here, so the image must be on every host (README). */
    @Override
    public boolean imageExists(String image) {
        return manager.imageExists(image);
    }

    @Override
    public Optional<ImageFacts> imageFacts(String image) {
        return manager.imageFacts(image);
    }

    @Override
    public Optional<String> runOnce(String image, String program, List<String> args) {
        return manager.runOnce(image, program, args);
    }

    /**
     * Builds nothing: an image built on the manager would be missing on the other hosts, and no
     * registry carries it there. Sentinels run the topology's image, which must be on every host,
     * with the rendered sentinel.conf as a Swarm config; sentinel/Dockerfile is not used on Swarm.
     */
    @Override
    public boolean buildImage(File contextDir, String tag, Map<String, String> buildArgs) {
        return false;
    }

    @Override
    public void removeImage(String tag) {
    }

    private List<com.github.dockerjava.api.model.Network> networks() {
        return api.call("listing networks", () -> api.client.listNetworksCmd().exec().stream()
                .filter(n -> n.getLabels() != null && project.equals(n.getLabels().get(PROJECT))).toList());
    }

    /** No fixed addresses: a task rescheduled on another host gets a new one; nodes find each other by name. */
    @Override
    public Optional<AddressRange> ensureNetwork() {
        if (networks().isEmpty()) {
            api.run("creating overlay network " + network, () -> api.client.createNetworkCmd().withName(network)
                    .withDriver("overlay").withAttachable(true).withCheckDuplicate(true)
                    .withLabels(Map.of(PROJECT, project)).exec());
        }
        return Optional.empty();
    }

    /**
     * Removes the project's network, configs and secrets, once the removed services' tasks have let
     * go of them (Swarm shuts tasks down after the service is gone).
     */
    @Override
    public void removeNetwork() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
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
    @Override
    public List<String> volumes() {
        List<String> volumes = new ArrayList<>();
        options.engines().forEach((host, engine) -> {
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
    @Override
    public void removeVolume(String name) {
        int colon = name.indexOf(':');
        String host = name.substring(0, colon);
        String volume = name.substring(colon + 1);
        String engine = options.engines().get(host);
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
                            + SwarmApi.rootMessage(e), e);
                }
            }
        }
    }

    /** Swarm publishes on the hosts, not here; its scheduler keeps two tasks off one host port. */
    @Override
    public boolean hostPortFree(String bind, int port) {
        return true;
    }

    /** Commands that change the project run from this machine: a lock file here serialises them. */
    @Override
    public ProjectLock lock(String command) {
        return ProjectLock.acquire(project, command, Duration.ZERO);
    }

    // ---- faults ----------------------------------------------------------------------------

    @Override
    public List<FaultKind> faults() {
        return FAULTS;
    }

    @Override
    public void inject(FaultKind fault, Node target) {
        if (fault.equals(STOP)) {
            scale(target, 0);
        } else if (fault.equals(DRAIN)) {
            setAvailability(target, SwarmNodeAvailability.DRAIN);
        } else {
            throw new BackendException("fault " + fault.name() + " is not supported on Docker Swarm; choose one of "
                    + FAULTS.stream().map(FaultKind::name).toList());
        }
    }

    @Override
    public boolean heal(FaultKind fault, Node target) {
        if (fault.equals(STOP)) {
            if (replicas(target) > 0) {
                return false;
            }
            scale(target, 1);
            return true;
        }
        if (fault.equals(DRAIN)) {
            return setAvailability(target, SwarmNodeAvailability.ACTIVE);
        }
        throw new BackendException("fault " + fault.name() + " is not supported on Docker Swarm");
    }

    /** Sets the availability of the host the node is pinned to; returns whether it changed. */
    private boolean setAvailability(Node target, SwarmNodeAvailability availability) {
        if (target.host() == null) {
            throw new BackendException(target.name() + " is not pinned to a host");
        }
        SwarmNode host = hosts().get(target.host());
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

    @Override
    public Backend reopen() {
        return connect(project, options);
    }

    @Override
    public void close() {
        manager.close();
        api.close();
    }
}
