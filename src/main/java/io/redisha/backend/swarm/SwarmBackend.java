package io.redisha.backend.swarm;

import io.redisha.backend.AddressRange;
import io.redisha.backend.Backend;
import io.redisha.backend.BackendException;
import io.redisha.backend.Exporters;
import io.redisha.backend.FaultKind;
import io.redisha.backend.Hosts;
import io.redisha.backend.ImageFacts;
import io.redisha.backend.Node;
import io.redisha.backend.NodeSpec;
import io.redisha.backend.Snapshots;
import io.redisha.backend.docker.SingleEngineBackend;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Docker Swarm reached through one manager (DOCKER_HOST): every node a Swarm service of one task,
 * pinned to a host of its own, on the project's attachable overlay network (endpoint mode dnsrr, no
 * VIP), its port published in host mode on that host. Configuration files travel as Swarm configs,
 * or secrets when they hold a password. See docs/swarm.md.
 * Each part is a class of its own: {@link SwarmHosts} (hosts and placement), {@link ProjectServices}
 * (services and tasks as nodes), {@link ServiceSpecs} (building a service), {@link ServiceLifecycle}
 * (start, stop, remove, new files), {@link ProjectObjects} (network, configs, secrets, volumes on
 * each host), {@link ExporterServices} (the nodes' Prometheus exporters), {@link SwarmFaults};
 * {@link SwarmApi} is the door to the manager's Engine API.
 */
public final class SwarmBackend implements Backend, Hosts {
    public static final FaultKind STOP = SwarmFaults.STOP;
    public static final FaultKind DRAIN = SwarmFaults.DRAIN;
    /** What this backend can inject; the CLI offers exactly these. */
    public static final List<FaultKind> FAULTS = SwarmFaults.FAULTS;

    /**
     * How this backend is set up from the topology.
     *
     * @param redisImage       the topology's image: Sentinels run it too (no image is built: one built on the
     *                         manager would be missing on the other hosts, and no registry carries it there)
     * @param dial             swarm hostname to ADDRESS or ADDRESS+OFFSET (topology swarm.dial)
     * @param acceptRisk       topology swarm.accept-risk
     * @param restartDelay     how long Swarm waits before starting a failed task again: longer than Sentinel
     *                         needs to promote a replica, so a master restarted without its data never
     *                         comes back while its replicas still follow it
     * @param sentinelPassword the password a Redis task logs in to the Sentinels with at start, or null: Sentinel's
     *                         own password, or {@code authUser}'s (it reaches the task as a Swarm secret)
     * @param holdBack         how long a starting Redis task waits while the Sentinels still name its own
     *                         address as the master (no failover yet); zero when its data survives (AOF)
     * @param engines          swarm hostname to that host's own engine (topology swarm.engines), where its
     *                         data volumes are listed and removed
     * @param authUser         the ACL user a starting Redis task logs in as, with {@code sentinelPassword}; null
     *                         for the default user
     */
    public record Options(String redisImage, Map<String, String> dial, boolean acceptRisk, Duration restartDelay,
                          String masterName, int sentinels, String sentinelPassword, Duration holdBack,
                          Map<String, String> engines, String authUser) {

        public Options(String redisImage, Map<String, String> dial, boolean acceptRisk, Duration restartDelay,
                       String masterName, int sentinels, String sentinelPassword, Duration holdBack,
                       Map<String, String> engines) {
            this(redisImage, dial, acceptRisk, restartDelay, masterName, sentinels, sentinelPassword, holdBack, engines, null);
        }

        /** Never the password itself. */
        @Override
        public String toString() {
            return "Options[redisImage=" + redisImage + ", dial=" + dial + ", acceptRisk=" + acceptRisk
                    + ", restartDelay=" + restartDelay + ", masterName=" + masterName + ", sentinels=" + sentinels
                    + ", sentinelPassword=" + (sentinelPassword == null ? "none" : "set") + ", holdBack=" + holdBack
                    + ", engines=" + engines + ", authUser=" + authUser + "]";
        }
    }

    private final SwarmApi api;
    private final SingleEngineBackend manager;
    private final String project;
    private final Options options;
    private final SwarmHosts hosts;
    private final ProjectServices services;
    private final ServiceSpecs specs;
    private final ServiceLifecycle lifecycle;
    private final ProjectObjects objects;
    private final SwarmFaults faults;
    private final ExporterServices exporters;
    private final TaskFiles taskFiles;

    private SwarmBackend(SwarmApi api, SingleEngineBackend manager, String project, Options options) {
        this.api = api;
        this.manager = manager;
        this.project = project;
        this.options = options;
        this.hosts = new SwarmHosts(api, options.acceptRisk());
        this.services = new ProjectServices(api, hosts, project, options);
        this.specs = new ServiceSpecs(api, services, manager, project, options);
        this.lifecycle = new ServiceLifecycle(api, hosts, specs);
        this.objects = new ProjectObjects(api, project, options.engines());
        this.faults = new SwarmFaults(lifecycle, hosts);
        this.exporters = new ExporterServices(api, hosts, services, specs, project, manager::imageUser);
        this.taskFiles = new TaskFiles(api, options.engines());
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

    @Override
    public Optional<Hosts> hosts() {
        return Optional.of(this);
    }

    @Override
    public List<String> hostProblems() {
        return hosts.problems(services.pinnedHosts());
    }

    @Override
    public Optional<String> placementProblem(int redisServers, int sentinels, int quorum) {
        return hosts.placementProblem(redisServers, sentinels, quorum);
    }

    /** A rescheduled task gets a new address on the overlay network; its name stays. */
    @Override
    public boolean addressesMove() {
        return true;
    }

    // ---- nodes -----------------------------------------------------------------------------

    @Override
    public List<Node> nodes() {
        return services.nodes();
    }

    @Override
    public boolean exists() {
        return !services.services().isEmpty() || !objects.networks().isEmpty();
    }

    /** A service pinned to a usable host; a Sentinel runs the topology's image (no image is built on Swarm). */
    @Override
    public String create(NodeSpec spec) {
        String id = specs.create(spec);
        if (spec.exporter() != null) {
            exporters.create(spec.name(), exporters.hostOf(id), spec.exporter());
        }
        return id;
    }

    /** One service per node, on its node's host ({@link ExporterServices}). */
    @Override
    public Optional<Exporters> exporters() {
        return Optional.of(exporters);
    }

    @Override
    public void start(Node node) {
        lifecycle.start(node);
    }

    @Override
    public void stop(Node node) {
        lifecycle.stop(node);
    }

    @Override
    public void remove(Node node) {
        exporters.remove(node.name());
        lifecycle.remove(node);
    }

    @Override
    public void startWith(Node node, Map<String, byte[]> files) {
        lifecycle.startWith(node, files);
    }

    @Override
    public List<String> logs(Node node, int lines) {
        return lifecycle.logs(node, lines);
    }

    // ---- a running task's files: through its host's engine (swarm.engines) -------------------

    /**
     * Where the topology names each host's engine (swarm.engines): a running node's configuration is read
     * there, and the new passwords reach the nodes by their commands and their files in the data volumes
     * by their own rewrites, which a restarted task reads (see {@link TaskFiles}).
     */
    @Override
    public boolean rotatesPasswordsInPlace() {
        return !options.engines().isEmpty();
    }

    /** Empty when the topology names no engine for the node's host. */
    @Override
    public Optional<byte[]> readFile(Node node, String path) {
        return taskFiles.read(node, path);
    }

    @Override
    public boolean renewProtectionPassword(Node node) {
        if (options.sentinelPassword() == null || !node.service().isRedis()) {
            return false;
        }
        taskFiles.protection(node, options.sentinelPassword(), null);
        return true;
    }

    @Override
    public Optional<String> protectionPassword(Node node) {
        if (options.authUser() == null || !node.service().isRedis()) {
            return Optional.empty();
        }
        return taskFiles.read(node, TaskFiles.SENTINEL_AUTH_PATH).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public boolean protectAsUser(Node node) {
        if (options.authUser() == null || options.sentinelPassword() == null || !node.service().isRedis()) {
            return false;
        }
        taskFiles.protection(node, options.sentinelPassword(), options.authUser());
        return true;
    }

    // ---- images: on the manager's engine -----------------------------------------------------

    /** On the manager's engine; Swarm runs no registry here, so the image must be on every host (docs/swarm.md). */
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

    /** Read and put in place through the engine of each node's host (swarm.engines), checked on the manager's. */
    @Override
    public Optional<Snapshots> snapshots() {
        return Optional.of(new SwarmSnapshots(api, lifecycle, manager.snapshots().orElseThrow(), options.engines()));
    }

    // ---- what the nodes share, and their volumes ---------------------------------------------

    @Override
    public Optional<AddressRange> ensureNetwork() {
        return objects.ensureNetwork();
    }

    @Override
    public void removeSharedObjects() {
        exporters.removeAll(); // whose nodes are gone
        objects.removeSharedObjects();
    }

    @Override
    public List<String> volumes() {
        return objects.volumes();
    }

    @Override
    public void removeVolume(String name) {
        objects.removeVolume(name);
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

    @Override
    public boolean heal(FaultKind fault, Node target) {
        return faults.heal(fault, target);
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
