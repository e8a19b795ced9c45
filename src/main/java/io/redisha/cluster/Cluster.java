package io.redisha.cluster;

import io.redisha.docker.ContainerSpec;
import io.redisha.docker.ContainerState;
import io.redisha.docker.DockerEngine;
import io.redisha.docker.DockerException;
import io.redisha.docker.Labels;
import io.redisha.docker.NodeContainer;
import io.redisha.docker.Service;
import io.redisha.sentinel.LoopbackMapper;
import io.redisha.sentinel.ReplicationInfo;
import io.redisha.sentinel.RedisNodes;
import io.redisha.sentinel.SentinelContext;
import io.redisha.topology.Persistence;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The orchestrator: converges the engine to a topology and observes the result. It never prints;
 * what it is doing goes to {@link Progress}, what it found is returned.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    private static final int PROBE_TIMEOUT_MILLIS = 1500;
    private static final Duration POLL = Duration.ofMillis(250);

    private final DockerEngine engine;
    private final Topology topology;
    private final SentinelContext context;
    private final Progress progress;
    private final String network;
    private final ExecutorService executor;
    private final RedisNodes redis;
    private final Inspector inspector;
    private volatile Deployment deployment;

    private final Secrets secrets;

    public Cluster(DockerEngine engine, Topology topology, SentinelContext context, Progress progress) {
        this(engine, topology, context, progress, Secrets.none());
    }

    public Cluster(DockerEngine engine, Topology topology, SentinelContext context, Progress progress, Secrets secrets) {
        this.engine = engine;
        this.topology = topology;
        this.secrets = secrets;
        this.context = context;
        this.progress = progress;
        this.network = Naming.network(topology.project());
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "redisha-worker");
            t.setDaemon(true);
            return t;
        });
        LoopbackMapper mapper = new LoopbackMapper(() -> refresh().loopbackTable());
        this.redis = new RedisNodes(mapper, topology.sentinels().masterName(), secrets.redisPassword(),
                secrets.sentinelPassword(), PROBE_TIMEOUT_MILLIS);
        this.inspector = new Inspector(redis, executor);
    }

    public Topology topology() {
        return topology;
    }

    public DockerEngine engine() {
        return engine;
    }

    public RedisNodes redis() {
        return redis;
    }

    public Progress progress() {
        return progress;
    }

    /** Reads the project's containers from the engine again. */
    public Deployment refresh() {
        Deployment d = new Deployment(topology.project(), network, engine.listNodes(topology.project(), network));
        deployment = d;
        redis.mapper().update(d.loopbackTable());
        return d;
    }

    public Deployment deployment() {
        Deployment d = deployment;
        return d == null ? refresh() : d;
    }

    public boolean exists() {
        return !refresh().nodes().isEmpty() || engine.findNetwork(topology.project()).isPresent();
    }

    // ---- up --------------------------------------------------------------------------------

    /** Creates what is missing, repairs what an interrupted run left behind, and waits until ready. */
    public ClusterStatus up(Duration timeout) {
        if (!engine.imageExists(topology.image())) {
            throw new DockerException("image " + topology.image() + " (topology `image`) is not on the engine at "
                    + engine.host() + "; run scripts/setup, or pull or load it");
        }
        Expected expected = Expected.of(topology);
        Deployment before = refresh();
        PortPreflight.check(topology, expected.missing(withoutHalfCreated(before)));
        buildSentinelImage();
        engine.ensureNetwork(network, topology.project());

        long deadline = System.nanoTime() + timeout.toNanos();
        List<NodeContainer> held = heldBack(before);
        repair(before, held);
        if (!held.isEmpty()) {
            startAfterPromotion(held, deadline);
        }
        Deployment d = refresh();
        Optional<NodeContainer> master = d.nodes().isEmpty() ? Optional.empty()
                : Inspector.currentMaster(inspector.observe(d));
        createMissing(expected.missing(d), master.orElse(null));
        // a file asking for fewer nodes than run (edited by hand, or a scale interrupted midway)
        new Scaler(this).removeExtras(expected, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return waitReady(expected, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** The nodes that repair keeps: a container that never started is removed and created again. */
    static Deployment withoutHalfCreated(Deployment d) {
        return new Deployment(d.project(), d.network(), d.nodes().stream()
                .filter(n -> n.state() != ContainerState.CREATED && n.state() != ContainerState.DEAD).toList());
    }

    void buildSentinelImage() {
        progress.step("building Sentinel image " + Naming.sentinelImage(topology.project()));
        engine.buildImage(context.directory(), Naming.sentinelImage(topology.project()),
                Map.of("REDIS_IMAGE", topology.image()), Labels.project(topology.project()));
    }

    /**
     * Creates the given nodes: the master first when there is none, the Sentinels once the replicas
     * are linked.
     *
     * @param master the current master, or null for a fresh deployment
     */
    void createMissing(List<Expected.Slot> missing, NodeContainer master) {
        if (master == null && missing.contains(new Expected.Slot(Service.MASTER, 1))) {
            // Sentinel resolves the monitored name at start: the master must be on the network first.
            create(List.of(new Expected.Slot(Service.MASTER, 1)), null);
            missing = missing.stream().filter(s -> s.service() != Service.MASTER).toList();
        }
        List<Expected.Slot> sentinels = missing.stream().filter(s -> s.service() == Service.SENTINEL).toList();
        create(missing.stream().filter(s -> s.service() != Service.SENTINEL).toList(), master);
        if (!sentinels.isEmpty()) {
            // A Sentinel learns the replicas from the master's INFO, at connect and then every 10 s:
            // starting it once the replicas are linked saves up to 10 s of waiting.
            awaitReplicaLinks(Duration.ofSeconds(15));
            create(sentinels, master);
        }
    }

    /** Waits, at most {@code limit}, until every running Redis node but the master reports its link up. */
    private void awaitReplicaLinks(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        progress.step("waiting for the replicas to link to the master");
        while (System.nanoTime() < deadline) {
            List<NodeStatus> nodes = status().nodes();
            boolean linked = nodes.stream().filter(n -> "running".equals(n.state()))
                    .allMatch(n -> "master".equals(n.role()) || "up".equals(n.link()));
            if (linked) {
                return;
            }
            sleep(POLL);
        }
    }

    /**
     * The stopped Redis servers that must not start before Sentinel has promoted a replica. When
     * no running server reports role:master but a replica runs, the master is among the stopped
     * ones; started again without an append-only file it comes back with an empty data set (or,
     * with RDB, an old one), and its replicas would copy it: the Redis documentation's warning.
     * Empty when starting them at once is safe.
     */
    List<NodeContainer> heldBack(Deployment d) {
        List<NodeContainer> stopped = d.redisNodes().stream().filter(n -> n.state() == ContainerState.EXITED).toList();
        if (stopped.isEmpty() || restartHazard(topology.persistence()) == null) {
            return List.of();
        }
        Collection<ReplicationInfo> running = inspector.observe(d).replication().values();
        boolean masterRuns = running.stream().anyMatch(ReplicationInfo::isMaster);
        boolean replicaRuns = running.stream().anyMatch(i -> !i.isMaster());
        return replicaRuns && !masterRuns ? stopped : List.of();
    }

    /**
     * Why a stopped master must not start again before Sentinel has promoted a replica; null when it
     * may (its append-only file has everything but the last second).
     */
    public static String restartHazard(Persistence persistence) {
        return switch (persistence) {
            case AOF -> null;
            case OFF -> "with persistence: off it would come back with an empty data set, which its replicas would copy";
            case RDB -> "with persistence: rdb it would come back with its last snapshot, which its replicas would copy";
        };
    }

    /** Waits until the Sentinels name a running server that reports role:master, then starts the held ones. */
    private void startAfterPromotion(List<NodeContainer> held, long deadline) {
        Set<String> names = held.stream().map(NodeContainer::name).collect(Collectors.toCollection(TreeSet::new));
        String why = "the master is among them and " + restartHazard(topology.persistence());
        progress.step("not starting " + String.join(", ", names) + " yet (" + why + "); waiting for Sentinel to"
                + " promote a running replica");
        while (true) {
            ClusterStatus status = status();
            String master = status.master();
            boolean promoted = master != null && !names.contains(master)
                    && status.nodes().stream().anyMatch(n -> n.name().equals(master) && "master".equals(n.role()))
                    && status.sentinels().stream().anyMatch(s -> master.equals(s.master()));
            if (promoted) {
                progress.step("Sentinel promoted " + master + "; starting " + String.join(", ", names)
                        + " as its replicas");
                // status() has just read the engine
                NodeContainer current = deployment().nodes().stream().filter(n -> n.name().equals(master))
                        .findFirst().orElseThrow();
                startAsReplicas(held, current);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new NotReadyException("did not start " + String.join(", ", names) + ": " + why
                        + "; Sentinel did not promote a running replica in time ("
                        + String.join("; ", status.notReady()) + "). Repair what keeps Sentinel from failing over"
                        + " (redisha status), or start the container by hand if losing that data is intended",
                        status, List.of());
            }
            sleep(POLL);
        }
    }

    /**
     * Starts stopped Redis servers with a configuration that follows the given master, written
     * into them first: they come up as its replicas at once, with no moment as a master, and
     * whether or not a Sentinel still knows their address to convert them.
     */
    private void startAsReplicas(List<NodeContainer> stopped, NodeContainer master) {
        NodeFactory factory = new NodeFactory(topology, secrets, network, context);
        String masterHost = master.service() == Service.MASTER ? Naming.MASTER_ALIAS : master.name();
        runAll(stopped.stream().<Supplier<Object>>map(n -> () -> {
            engine.copyFiles(n.id(), factory.redis(n.service(), n.index(), masterHost).files());
            engine.start(n.id());
            return null;
        }).toList());
    }

    /** Puts containers that an interrupted run or a fault left behind back into service, but the held ones. */
    private void repair(Deployment d, List<NodeContainer> held) {
        List<Runnable> actions = new ArrayList<>();
        for (NodeContainer n : d.nodes()) {
            if (held.contains(n)) {
                continue;
            }
            switch (n.state()) {
                case PAUSED -> actions.add(() -> {
                    progress.step("unpausing " + n.name());
                    engine.unpause(n.id());
                });
                case CREATED, DEAD -> actions.add(() -> {
                    // never started, so its configuration may not have been copied in: recreate it
                    progress.step("removing half-created " + n.name());
                    engine.remove(n.id());
                });
                case EXITED -> actions.add(() -> {
                    progress.step("starting " + n.name());
                    engine.start(n.id());
                });
                default -> {
                }
            }
            if (n.state() == ContainerState.RUNNING && n.ip() == null) {
                actions.add(() -> {
                    progress.step("reconnecting " + n.name() + " to " + network);
                    engine.connect(n.id(), network,
                            n.service() == Service.MASTER ? List.of(Naming.MASTER_ALIAS) : List.of());
                });
            }
        }
        runAll(actions.stream().<Supplier<Object>>map(a -> () -> {
            a.run();
            return null;
        }).toList());
    }

    /**
     * Creates and starts the given nodes in parallel.
     *
     * @param master the current master, or null for a fresh deployment (nodes follow the master alias)
     */
    public void create(List<Expected.Slot> slots, NodeContainer master) {
        if (slots.isEmpty()) {
            return;
        }
        NodeFactory factory = new NodeFactory(topology, secrets, network, context);
        String masterHost = master == null || master.service() == Service.MASTER ? Naming.MASTER_ALIAS : master.name();
        List<Supplier<Object>> tasks = new ArrayList<>();
        for (Expected.Slot slot : slots) {
            ContainerSpec spec = switch (slot.service()) {
                case MASTER -> factory.redis(Service.MASTER, 1, master == null ? null : masterHost);
                case REPLICA -> factory.redis(Service.REPLICA, slot.index(), masterHost);
                case SENTINEL -> factory.sentinel(slot.index(), masterHost);
            };
            tasks.add(() -> {
                progress.step("creating " + spec.name());
                return engine.createAndStart(spec);
            });
        }
        runAll(tasks);
        refresh();
    }

    /** Runs the tasks in parallel on the worker pool; throws the first failure, the others suppressed in it. */
    void runAll(List<Supplier<Object>> tasks) {
        List<CompletableFuture<Object>> futures = tasks.stream()
                .map(t -> CompletableFuture.supplyAsync(t, executor)).toList();
        RuntimeException first = null;
        for (CompletableFuture<Object> f : futures) {
            try {
                f.join();
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (first == null) {
                    first = cause;
                } else {
                    first.addSuppressed(cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // ---- observing -------------------------------------------------------------------------

    public ClusterStatus status() {
        return inspector.inspect(refresh(), Expected.of(topology));
    }

    public ClusterStatus status(Expected expected) {
        return inspector.inspect(refresh(), expected);
    }

    /**
     * Polls the deployment until it is ready; fails early when a node's container stops. A Sentinel
     * that still lists a node which is gone (removed, or recreated with another address) is reset,
     * one Sentinel at a time, as the Sentinel documentation prescribes.
     */
    public ClusterStatus waitReady(Expected expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastReported = null;
        while (true) {
            ClusterStatus status = status(expected);
            if (!status.ready() && resetStaleSentinels(status, expected, deadline)) {
                continue;
            }
            if (status.ready()) {
                progress.step("ready: master " + status.master() + ", " + expected.replicas() + " replicas, "
                        + expected.sentinels() + " sentinels");
                return status;
            }
            Optional<NodeContainer> dead = deployment().nodes().stream()
                    .filter(n -> n.state() == ContainerState.EXITED || n.state() == ContainerState.DEAD).findFirst();
            if (dead.isPresent()) {
                throw notReady(dead.get().name() + " exited while waiting for the deployment to be ready", status,
                        dead.get());
            }
            String summary = status.notReady().get(0)
                    + (status.notReady().size() > 1 ? " (+" + (status.notReady().size() - 1) + " more)" : "");
            if (!summary.equals(lastReported)) {
                progress.step("waiting: " + summary);
                lastReported = summary;
            }
            if (System.nanoTime() > deadline) {
                throw notReady("not ready after " + timeout.toSeconds() + " s: " + String.join("; ", status.notReady()),
                        status, culprit(status).orElse(null));
            }
            sleep(POLL);
        }
    }

    /**
     * Resets the Sentinels that keep stale entries (through the Scaler's one-at-a-time procedure),
     * when that is safe: a master is known, every node runs and answers, no failover is in progress.
     * Returns whether it reset any.
     *
     * @param deadline {@link System#nanoTime()} by which each reset Sentinel must have rediscovered
     *                 the deployment, else {@link NotReadyException}
     */
    public boolean resetStaleSentinels(ClusterStatus status, Expected expected, long deadline) {
        // a stopped or paused node is a fault, not a stale entry: its address is missing only for now
        String running = ContainerState.RUNNING.label();
        boolean settled = status.nodes().stream().allMatch(n -> running.equals(n.state()) && !"unknown".equals(n.role()))
                && status.sentinels().stream().allMatch(s -> running.equals(s.state()));
        boolean failover = status.sentinels().stream().anyMatch(SentinelStatus::failoverRunning);
        List<String> stale = status.sentinels().stream().filter(s -> !s.stale().isEmpty()).map(SentinelStatus::name).toList();
        if (stale.isEmpty() || !settled || failover || status.master() == null) {
            return false;
        }
        new Scaler(this).resetSentinels(expected, stale, deadline);
        return true;
    }

    private NotReadyException notReady(String message, ClusterStatus status, NodeContainer culprit) {
        List<String> logs = new ArrayList<>();
        if (culprit != null) {
            for (String line : engine.tailLogs(culprit.id(), 20)) {
                logs.add(culprit.name() + " | " + line);
            }
        }
        return new NotReadyException(message, status, logs);
    }

    /** The node named first among the reasons, whose logs explain most. */
    private Optional<NodeContainer> culprit(ClusterStatus status) {
        for (String reason : status.notReady()) {
            for (NodeContainer n : deployment().nodes()) {
                if (reason.startsWith(n.name() + " ")) {
                    return Optional.of(n);
                }
            }
        }
        return Optional.empty();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- down ------------------------------------------------------------------------------

    /** What {@link #down} removed and kept. */
    public record DownResult(int containers, int volumesRemoved, List<String> volumesKept) {
    }

    /**
     * Removes the project's containers and network; the Sentinel image and the data volumes only
     * when asked, so that persistent data survives a down/up.
     */
    public DownResult down(boolean removeImage, boolean removeVolumes) {
        List<NodeContainer> nodes = refresh().nodes();
        runAll(nodes.stream().<Supplier<Object>>map(n -> () -> {
            progress.step("removing " + n.name());
            engine.remove(n.id());
            return null;
        }).toList());
        engine.removeNetworks(topology.project());
        if (removeImage) {
            progress.step("removing image " + Naming.sentinelImage(topology.project()));
            engine.removeImage(Naming.sentinelImage(topology.project()));
        }
        List<String> volumes = engine.listVolumes(topology.project());
        if (removeVolumes) {
            for (String volume : volumes) {
                progress.step("removing volume " + volume);
                engine.removeVolume(volume);
            }
        }
        refresh();
        log.debug("removed {} containers of {}", nodes.size(), topology.project());
        return new DownResult(nodes.size(), removeVolumes ? volumes.size() : 0, removeVolumes ? List.of() : volumes);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
