package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.BackendException;
import io.redisha.backend.ImageBuilds;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.NodeSpec;
import io.redisha.backend.Service;
import io.redisha.sentinel.AddressMapper;
import io.redisha.sentinel.Probe;
import io.redisha.sentinel.RedisNodes;
import io.redisha.sentinel.SentinelContext;
import io.redisha.topology.Persistence;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.Users;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The orchestrator: converges a backend to a topology and observes the result. It never prints;
 * what it is doing goes to {@link Progress}, what it found is returned.
 */
public final class Cluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    static final int PROBE_TIMEOUT_MILLIS = 1500;
    private static final Duration REPLICA_LINK_WAIT = Duration.ofSeconds(15);

    private final Backend backend;
    private final Topology topology;
    private final SentinelContext context;
    private final Progress progress;
    private final Workers workers = new Workers();
    private final RedisNodes redis;
    private final Observer observer;
    private final NodeFactory factory;
    private final SentinelResets resets;
    private final ReadyWait readyWait;
    private final Shrink shrink;
    private final HoldBack holdBack;
    private final Planner planner;
    private final Roll roll;
    private volatile AddressPlan addressPlan;
    private volatile ServerImage server;
    private final ClusterTls tls;
    private volatile boolean tlsChecked;
    private final Certificates certificates;
    private final NodeSettings settings;
    private final PasswordRotation rotation;
    private final AdminPasswordRotation adminRotation;
    private final SinglePasswordRotation singleRotation;
    private final UserDrift drift;
    private final UsersMigration migration;
    /** Whether the {@code default} user of nodes made from now on is decided ({@link #matchDefaultUser}). */
    private volatile boolean defaultUserMatched;
    private volatile boolean keepOldPasswords;
    private volatile boolean rotateCa;

    public Cluster(Backend backend, Topology topology, SentinelContext context, Progress progress, Secrets secrets) {
        this(backend, topology, context, progress, secrets, ClusterTls.none(), null);
    }

    /** @param tls the deployment's TLS material, {@link ClusterTls#none()} for plaintext */
    public Cluster(Backend backend, Topology topology, SentinelContext context, Progress progress, Secrets secrets,
                   ClusterTls tls) {
        this(backend, topology, context, progress, secrets, tls, null);
    }

    /** A model of the nodes in unit tests. */
    Cluster(Backend backend, Topology topology, SentinelContext context, Progress progress, Secrets secrets,
            Probe probe) {
        this(backend, topology, context, progress, secrets, ClusterTls.none(), probe);
    }

    /** @param probe how nodes are asked what they are; null for Jedis */
    private Cluster(Backend backend, Topology topology, SentinelContext context, Progress progress, Secrets secrets,
                    ClusterTls tls, Probe probe) {
        this.tls = tls;
        this.backend = backend;
        this.topology = topology;
        this.context = context;
        this.progress = progress;
        AddressMapper mapper = new AddressMapper(() -> refresh().dialTable());
        this.redis = topology.auth().hasUsers()
                ? new RedisNodes(mapper, topology.sentinels().masterName(), Users.ADMIN, secrets.password(Users.ADMIN),
                        secrets.password(Users.ADMIN), PROBE_TIMEOUT_MILLIS, tls.client())
                : new RedisNodes(mapper, topology.sentinels().masterName(), secrets.redisPassword(),
                        secrets.sentinelPassword(), PROBE_TIMEOUT_MILLIS, tls.client());
        this.observer = Observer.of(backend, topology.project(), probe == null ? redis : probe, mapper, workers);
        this.settings = new NodeSettings(topology, secrets, backend.rotatesPasswordsInPlace());
        this.factory = new NodeFactory(topology, secrets, context, this::serverForNodes, tls, settings);
        this.resets = new SentinelResets(observer, redis, progress);
        this.certificates = new Certificates(backend, tls, redis, progress, workers.executor(), this::refresh);
        this.rotation = new PasswordRotation(topology, secrets, redis, progress);
        this.adminRotation = new AdminPasswordRotation(topology, secrets, redis, backend, settings, progress);
        this.singleRotation = new SinglePasswordRotation(topology, secrets, redis, backend, progress);
        this.drift = new UserDrift(topology, secrets, redis, factory::rules);
        this.migration = new UsersMigration(topology, secrets, redis, backend, settings, factory::rules, progress);
        this.readyWait = new ReadyWait(backend, observer, resets, progress, redis);
        this.shrink = new Shrink(backend, observer, workers, resets, progress);
        this.holdBack = new HoldBack(backend, observer, factory, workers, progress, topology.persistence());
        this.planner = new Planner(topology, settings);
        this.roll = new Roll(backend, observer, redis, settings, resets, readyWait,
                this::replaceInSlot, progress, topology.sentinels().failoverTimeoutMillis());
    }

    public Topology topology() {
        return topology;
    }

    /** The deployment's TLS material; {@link ClusterTls#enabled()} is false for plaintext. */
    public ClusterTls tls() {
        return tls;
    }

    public Backend backend() {
        return backend;
    }

    /** What the nodes are made of, for a restore that tells the Sentinels a master's new address. */
    NodeSettings settings() {
        return settings;
    }

    public RedisNodes redis() {
        return redis;
    }

    public Progress progress() {
        return progress;
    }

    /** Reads the project's nodes from the backend again. */
    public Deployment refresh() {
        return observer.refresh();
    }

    /** The nodes as last read. */
    public Deployment deployment() {
        return observer.deployment();
    }

    public boolean exists() {
        return backend.exists();
    }

    /**
     * The server of the topology's image (found once, from the image itself).
     *
     * @throws PreflightException when the image has no Redis or Valkey server that redisha can run
     */
    public ServerImage server() {
        ServerImage s = server;
        if (s == null) {
            s = ServerImage.detect(backend, topology.image());
            server = s;
        }
        return s;
    }

    /** The server, checked once (when TLS is on) to serve TLS before the first node is made. */
    private synchronized ServerImage serverForNodes() {
        ServerImage s = server();
        if (tls.enabled() && !tlsChecked) {
            s.requireTls(backend);
            tlsChecked = true;
        }
        return s;
    }

    // ---- up --------------------------------------------------------------------------------

    /**
     * Whether {@code up} keeps the old password of a user it rotates beside the new one, so that the
     * applications can switch first; a later {@code up} without it removes them.
     */
    public void keepOldPasswords(boolean keep) {
        this.keepOldPasswords = keep;
    }

    /** Creates what is missing, repairs what an interrupted run left behind, and waits until ready. */
    public ClusterStatus up(Duration timeout) {
        return up(timeout, false);
    }

    /**
     * What {@link #up} would do now, worked out from what runs; changes nothing.
     *
     * @throws BackendException when the topology's image is not on the engine
     */
    public Plan plan() {
        requireImage();
        List<Node> running = refresh().nodes().stream().filter(Node::isRunning).toList();
        Map<String, String> rotation = new java.util.LinkedHashMap<>(adminRotation.steps(running));
        if (!rotation.isEmpty()) {
            // redisha logs in as its user: the rest is worked out once every node has the new password
            return new Plan(topology.project(), changes(rotation), null);
        }
        if (passwordsRotateInPlace(running)) {
            String usersLeft = singleRotation.usersLeft(running);
            if (usersLeft != null) {
                return new Plan(topology.project(), List.of(), usersLeft);
            }
            rotation.putAll(singleRotation.look(running).steps());
        }
        UsersMigration.State moving = migration.look(running);
        rotation.putAll(moving.steps(keepOldPasswords));
        if (!moving.lacking().isEmpty()) {
            // redisha logs in as its user: the rest is worked out once every node has the users
            return new Plan(topology.project(), changes(rotation), null);
        }
        drift.keepDefault(keepOldPasswords && !moving.isEmpty());
        Plan plan = look().plan();
        if (rotation.isEmpty()) {
            return plan;
        }
        List<Plan.Step> steps = changes(rotation);
        steps.addAll(plan.steps());
        return new Plan(plan.project(), steps, plan.refusal());
    }

    /** A step for each node's in-place change, by node name. */
    private static List<Plan.Step> changes(Map<String, String> byNode) {
        List<Plan.Step> steps = new ArrayList<>();
        byNode.forEach((node, detail) -> steps.add(new Plan.Step(Plan.Action.CHANGE, node, detail)));
        return steps;
    }

    /**
     * Whether the single-password mode's passwords of these nodes may be rotated in place: no node
     * differs by more than their values (a password added or removed, users declared or dropped, which
     * {@link Planner} refuses to roll).
     */
    private boolean passwordsRotateInPlace(List<Node> running) {
        return !topology.auth().hasUsers() && backend.rotatesPasswordsInPlace()
                && running.stream().noneMatch(n -> settings.differences(n).contains(NodeSettings.AUTH));
    }

    /**
     * Gives the nodes made with one password the topology's users in place ({@link UsersMigration}). While
     * {@code default} is kept on, nodes made meanwhile keep it on too, and it is no drift.
     */
    private void moveToUsers(List<Node> present) {
        UsersMigration.State moved = migration.run(present, keepOldPasswords);
        boolean kept = keepOldPasswords && !moved.isEmpty();
        drift.keepDefault(kept);
        factory.keepDefault(kept ? migration.keptDefault(moved, false) : null, kept ? migration.keptDefault(moved, true) : null);
        defaultUserMatched = true;
        if (!moved.isEmpty() && topology.metrics().enabled()) {
            replaceExporters(present);
        }
    }

    /**
     * Nodes made outside {@code up} (a scale) while the deployment moves from one password to users get
     * {@code default} as the others have it; refused (nothing made) while some still have no users.
     */
    private void matchDefaultUser() {
        if (defaultUserMatched) {
            return;
        }
        UsersMigration.State state = migration.look(refresh().nodes());
        if (!state.lacking().isEmpty()) {
            throw new ChangeRefusedException(state.lacking().get(0).name() + " has no users yet: run redisha up first,"
                    + " which gives every node the users of auth.users in place (nothing was changed)");
        }
        if (!state.defaultOn().isEmpty()) {
            factory.keepDefault(migration.keptDefault(state, false), migration.keptDefault(state, true));
        }
        defaultUserMatched = true;
    }

    /** A plan and the observation it was worked out from. */
    private record Look(Plan plan, Inspector.Observation observation) {
    }

    /**
     * Reads the nodes and asks each running one, in parallel and once: what it replicates or monitors,
     * and (a Redis server) its version and the settings the topology sets at run time.
     */
    private Look look() {
        Deployment d = refresh();
        List<Node> running = d.nodes().stream().filter(Node::isRunning).toList();
        RuntimeSettings runtime = roll.runtime();
        List<CompletableFuture<List<RuntimeSettings.Change>>> changes = running.stream()
                .map(n -> CompletableFuture.supplyAsync(() -> runtime.differences(List.of(n)), workers.executor()))
                .toList();
        List<CompletableFuture<Optional<ServerImage>>> versions = running.stream().filter(n -> n.service().isRedis())
                .map(n -> CompletableFuture.supplyAsync(() -> runtime.server(n), workers.executor())).toList();
        // where certificates cannot be renewed in place (Swarm), the nodes due for it are replaced one at a time
        CompletableFuture<Void> due = tls.issues() && !backend.replacesFiles()
                ? CompletableFuture.runAsync(() -> settings.certificatesDue(certificates.due(running)), workers.executor())
                : CompletableFuture.completedFuture(null);
        Inspector.Observation o = observer.observe(d);
        due.join();
        Node master = d.nodes().isEmpty() ? null : Inspector.currentMaster(o).orElse(null);
        List<ServerImage> servers = versions.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList();
        List<RuntimeSettings.Change> differences = changes.stream().map(CompletableFuture::join)
                .flatMap(List::stream).toList();
        Plan plan = planner.plan(d, master, differences, servers, server());
        List<Plan.Step> steps = new ArrayList<>(plan.steps());
        PasswordRotation.State passwords = rotation.look(running);
        PasswordRotation.requireRedishaAccepted(passwords);
        drift.look(running).forEach(u -> steps.add(new Plan.Step(Plan.Action.CHANGE, u.node().name(),
                "user " + u.user() + " " + u.what() + ": set as the topology has it")));
        passwords.steps().forEach((node, detail) -> steps.add(new Plan.Step(Plan.Action.CHANGE, node, detail)));
        if (rotateCa) {
            steps.add(new Plan.Step(Plan.Action.CHANGE, "every node", tls.replacingCa()
                    ? "replace the CA, step 2 of 2: a certificate from the new CA in place, then stop trusting the old one"
                    : "replace the CA, step 1 of 2: a new CA, trusted beside the old one, in place"));
        }
        return new Look(new Plan(plan.project(), steps, withSwarmHint(plan.refusal(),
                topology.platform().isSwarm() && !backend.rotatesPasswordsInPlace(), topology.auth().hasUsers())), o);
    }

    /**
     * A refusal for changed passwords (or users put in place of one password), told where the change could be
     * made in place instead: on a Swarm whose topology names no host's engine (swarm.engines). Going back from
     * users to one password ({@code usersDeclared} false) is never done in place.
     */
    static String withSwarmHint(String refusal, boolean swarmWithoutEngines, boolean usersDeclared) {
        if (refusal == null || !swarmWithoutEngines || !(refusal.startsWith("the passwords (auth) changed")
                || usersDeclared && refusal.startsWith("auth.users was removed"))) {
            return refusal;
        }
        return refusal + "; on Swarm, swarm.engines naming each host's engine lets up change them in place (docs/swarm.md)";
    }

    /**
     * Creates what is missing, repairs what an interrupted run left behind, changes the settings that
     * differ from the topology (in place, or by replacing nodes one at a time: {@link Roll}) and waits
     * until ready.
     *
     * @param timeout       how long each wait may take
     * @param allowDowntime when the replacements cannot keep a writable master ({@link Plan#refusal()}),
     *                      remove every node and create them again instead of refusing
     * @throws ChangeRefusedException (nothing changed) when they cannot and downtime is not allowed
     */
    public ClusterStatus up(Duration timeout, boolean allowDowntime) {
        requireImage();
        requireUserRules(server());
        // a new deployment's network costs the engine four calls (Backend#ensureNetwork): they are made
        // while the nodes are looked at, unless the checks that come first could refuse the topology
        // (nothing is created then)
        if (!PortPreflight.cannotRefuse(backend, topology)) {
            return converge(timeout, allowDowntime);
        }
        CompletableFuture<AddressPlan> network = CompletableFuture.supplyAsync(this::addresses, workers.executor());
        try {
            return converge(timeout, allowDowntime);
        } catch (RuntimeException e) {
            removeNetworkWithoutNodes(network, e);
            throw e;
        }
    }

    /** The exporters read their password file when they start: after a rotation of the password they log in with, new ones. */
    private void replaceExporters(List<Node> nodes) {
        backend.exporters().ifPresent(exporters -> workers.runAll(nodes.stream().filter(Node::isRunning).<Runnable>map(n -> () -> {
            progress.step("replacing the exporter of " + n.name() + " (a new password)");
            exporters.replace(n.name(), topology.bind(), factory.exporter(n));
        }).toList()));
    }

    /** A network made for a deployment of which no node could be created is not left behind. */
    private void removeNetworkWithoutNodes(CompletableFuture<AddressPlan> network, RuntimeException failure) {
        try {
            network.handle((made, error) -> made).join();
            if (refresh().nodes().isEmpty()) {
                backend.removeSharedObjects();
                synchronized (this) {
                    addressPlan = null;
                }
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private ClusterStatus converge(Duration timeout, boolean allowDowntime) {
        // redisha logs in with these passwords itself: the nodes take the new ones before anything asks them
        List<Node> present = refresh().nodes().stream().filter(Node::isRunning).toList();
        adminRotation.run(present);
        if (passwordsRotateInPlace(present) && singleRotation.run(present, keepOldPasswords) && topology.metrics().enabled()) {
            replaceExporters(present);
        }
        moveToUsers(present);
        Look look = look();
        Plan plan = look.plan();
        if (plan.refusal() != null && !allowDowntime) {
            throw new ChangeRefusedException("will not replace the nodes one at a time: " + plan.refusal()
                    + " (nothing was changed; --allow-downtime removes and recreates every node instead)");
        }
        long deadline = Await.deadline(timeout);
        progress.step("image " + topology.image() + " runs " + server().describe());
        restartByItself(look.observation().deployment().nodes());
        boolean downtime = plan.refusal() != null;
        if (downtime) {
            progress.step("restart with downtime (" + plan.refusal() + "): removing every node");
            for (Node n : refresh().nodes()) {
                progress.step("removing " + n.name());
                backend.remove(n);
            }
            plan = plan();
        }
        plan.steps().forEach(step -> progress.step("plan: " + step.describe()));
        Expected expected = Expected.of(topology);
        // what a killed failover-test left beyond the nodes' own state (a partition's side network, with
        // the old master on it) is undone before anything else, since a node still on it may look healthy
        List<String> healed = backend.removeFaultLeftovers();
        healed.forEach(progress::step);
        // nothing was healed or removed: the nodes are as the plan read them
        Deployment before = healed.isEmpty() && !downtime ? look.observation().deployment() : refresh();
        List<Expected.Slot> missing = expected.missing(Repair.withoutHalfCreated(before));
        PortPreflight.check(backend, topology, missing);
        boolean nothingToCreate = missing.isEmpty() && !expected.hasExtras(before) && Repair.plan(before, List.of()).isEmpty();
        ClusterStatus ready = nothingToCreate
                // nothing to create, repair or remove: the plan's look tells whether there is anything to wait for
                ? readyWait.await(expected, deadline, before == look.observation().deployment()
                        ? observer.judge(look.observation(), expected) : observer.inspect(before, expected))
                : converge(expected, before, missing, deadline);
        ready = renewCertificates(expected, ready, deadline);
        List<Node> now = refresh().nodes();
        drift.fix(drift.look(now), progress);
        Set<String> rotating = rotation.look(now).users();
        boolean exportersRotated = topology.metrics().enabled() && topology.auth().hasUsers() && rotating.contains(Users.METRICS);
        if (rotating.contains(Users.ADMIN)) {
            adminRotation.renewProtections(now);
        }
        rotation.run(now, keepOldPasswords);
        if (exportersRotated) {
            replaceExporters(now);
        }
        if (nothingToCreate && plan.isEmpty()) {
            // every node ran when the plan read its settings, and none differed: the roll would ask again
            return ready;
        }
        if (!roll.converge(expected, timeout)) {
            return ready;
        }
        // a replaced Sentinel leaves the image it ran on unused
        removeOldImages();
        return readyWait.await(expected, Await.deadline(timeout));
    }

    /**
     * Renews the certificates due for it and gives every node the CA file the topology's trust calls
     * for, in place; with {@link #rotateCa}, also a step in replacing the CA. Waits until ready again
     * when a Sentinel was restarted.
     */
    private ClusterStatus renewCertificates(Expected expected, ClusterStatus ready, long deadline) {
        if (!tls.enabled()) {
            return ready;
        }
        List<Node> nodes = refresh().nodes();
        List<String> changed = new ArrayList<>();
        boolean finishing = rotateCa && tls.replacingCa();
        if (rotateCa && !finishing) {
            progress.step("replacing the CA, step 1 of 2: a new CA in " + tls.dir() + ", trusted beside the old one by"
                    + " every node; the nodes keep their certificates");
            tls.beginCaRotation(topology.project());
        }
        changed.addAll(certificates.converge(nodes, deadline, finishing));
        if (finishing && tls.keepsCa()) {
            progress.step("replacing the CA, step 2 of 2: every node has a certificate from the new CA; the old one"
                    + " is no longer trusted");
            tls.retireOldCas();
            changed.addAll(certificates.converge(refresh().nodes(), deadline, false));
        }
        if (rotateCa && !finishing) {
            progress.step("the CA file " + tls.files().caCertificate() + " now holds both CAs: have every client trust"
                    + " it (and take the new client certificate beside it), then run `redisha up --rotate-ca` again");
        }
        boolean restarted = nodes.stream().anyMatch(n -> n.service() == Service.SENTINEL && changed.contains(n.name()));
        return restarted ? readyWait.await(expected, deadline) : ready;
    }

    /**
     * With TLS and the CA redisha keeps (or the user's, for the second step): {@code up} takes the next
     * step in replacing the CA. Refused (nothing changed) where it cannot be done in place.
     */
    public void rotateCa(boolean rotate) {
        if (rotate) {
            String refusal = !tls.enabled() ? "TLS is off (tls.enabled)"
                    : !backend.replacesFiles() ? "replacing the CA in place is not supported on Swarm yet"
                    : !tls.issues() ? "the nodes serve your own certificate (tls.cert-file): renewing it and its CA is yours"
                    : !tls.keepsCa() && !tls.replacingCa() ? "tls.ca-cert-file holds one CA: put the new CA first in it,"
                            + " the old one after, and the new CA's key in tls.ca-key-file, then run up --rotate-ca"
                    : null;
            if (refusal != null) {
                throw new ChangeRefusedException("--rotate-ca: " + refusal + "; nothing was changed");
            }
        }
        this.rotateCa = rotate;
    }

    /**
     * Nodes created without a restart policy (by an older redisha) get it in place: no node is
     * replaced, none is started or stopped.
     */
    private void restartByItself(List<Node> nodes) {
        int changed = backend.selfRestart().map(r -> r.restartByItself(nodes)).orElse(0);
        if (changed > 0) {
            progress.step("nodes restarted by the engine when their process ends: " + changed + " of " + nodes.size()
                    + " set so in place");
        }
    }

    /** Repairs, creates what is missing and removes what is beyond the counts; waits until ready. */
    private ClusterStatus converge(Expected expected, Deployment before, List<Expected.Slot> missing, long deadline) {
        // only new Sentinels need the image: it is built (or found current) while the Redis servers start
        CompletableFuture<Void> sentinelImage = missing.stream().anyMatch(s -> s.service() == Service.SENTINEL)
                ? CompletableFuture.runAsync(this::buildSentinelImage, Workers::daemon)
                : CompletableFuture.completedFuture(null);
        addresses();
        List<Node> held = HoldBack.held(before, topology.persistence(),
                () -> observer.observe(before).replication().values());
        repair(Repair.plan(before, held));
        if (!held.isEmpty()) {
            holdBack.startAfterPromotion(held, expected, deadline);
        }
        Deployment d = refresh();
        Optional<Node> master = d.nodes().isEmpty() ? Optional.empty()
                : Inspector.currentMaster(observer.observe(d));
        createMissing(expected.missing(d), master.orElse(null), sentinelImage);
        // a file asking for fewer nodes than run (edited by hand, or a scale interrupted midway)
        shrink.removeExtras(expected, deadline);
        return readyWait.await(expected, deadline);
    }

    /** Creates a node in the slot of one the {@link Roll} removed; a Sentinel from the image built from the topology's. */
    private void replaceInSlot(Expected.Slot slot, Node master) {
        if (slot.service() == Service.SENTINEL) {
            buildSentinelImage();
        }
        createMissing(List.of(slot), master);
    }

    /**
     * The Sentinel and replication users' rules allow what that server's Sentinel and replicas send
     * (the topology's own check covers Redis 7, Redis 8 and Valkey 8; Valkey 9's Sentinel also sends FAILOVER).
     *
     * @throws PreflightException naming the first missing permission, before anything is created
     */
    private void requireUserRules(ServerImage server) {
        for (io.redisha.topology.User user : topology.auth().users().values()) {
            if (user.rules() == null) {
                continue; // the defaults get what the server needs (NodeFactory)
            }
            String missing = io.redisha.topology.AclRules.missingCommand(user.effectiveRules(),
                    io.redisha.topology.AclRules.needs(user.name(), server.flavour(), server.major()));
            if (missing != null) {
                throw new PreflightException("auth.users." + user.name() + ".rules: does not allow " + missing + ", which "
                        + server.describe() + " needs for " + (user.name().equals(Users.SENTINEL) ? "Sentinel" : "replication")
                        + "; add +" + missing + " (nothing was created)");
            }
        }
    }

    private void requireImage() {
        if (!backend.imageExists(topology.image())) {
            throw new BackendException("image " + topology.image() + " (topology `image`) is not on the engine at "
                    + backend.describe() + "; run scripts/setup, or pull or load it");
        }
        requireExporterImage();
    }

    /** With metrics, the exporters' image: checked before any node is made, so that none is made without its exporter. */
    void requireExporterImage() {
        String image = topology.metrics().image();
        if (topology.metrics().enabled() && !backend.imageExists(image)) {
            throw new BackendException("image " + image + " (metrics.image) is not on the engine at " + backend.describe()
                    + "; run scripts/setup --images " + image + ", or pull or load it");
        }
    }

    void buildSentinelImage() {
        progress.step("building Sentinel image " + Naming.sentinelImage(topology.project()));
        // without image builds (Swarm) the Sentinels run the topology's image
        if (backend.imageBuilds().map(builds -> builds.buildImage(context.directory(),
                Naming.sentinelImage(topology.project()), Map.of("REDIS_IMAGE", topology.image()))).orElse(false)) {
            removeOldImages();
        }
    }

    /** Earlier builds of the Sentinel image that no container uses any more (see {@link ImageBuilds#removeOldImages()}). */
    void removeOldImages() {
        int removed = backend.imageBuilds().map(ImageBuilds::removeOldImages).orElse(0);
        if (removed > 0) {
            progress.step("removed " + removed + " earlier build" + (removed == 1 ? "" : "s") + " of "
                    + Naming.sentinelImage(topology.project()));
        }
    }

    /**
     * The deployment's fixed addresses; the first call creates the network when it is missing. A
     * network is created with fixed addresses, so only a deployment of an older redisha has none.
     */
    synchronized AddressPlan addresses() {
        AddressPlan known = addressPlan;
        if (known == null) {
            known = AddressPlan.of(backend.ensureNetwork());
            addressPlan = known;
        }
        return known;
    }

    void createMissing(List<Expected.Slot> missing, Node master) {
        createMissing(missing, master, CompletableFuture.completedFuture(null));
    }

    /**
     * Creates the given nodes. With fixed addresses every node is told at once all it needs to know (the
     * master's address; a Sentinel also the replicas and the other Sentinels), so they start together,
     * after the master of a fresh deployment. Without, the master comes first (Sentinel resolves the
     * monitored name at start) and the Sentinels once the replicas are linked (a Sentinel learns the
     * replicas from the master's INFO, at connect and then every 10 s).
     *
     * @param master        the current master, or null for a fresh deployment
     * @param sentinelImage done when the Sentinel image exists
     */
    void createMissing(List<Expected.Slot> missing, Node master, CompletableFuture<Void> sentinelImage) {
        matchDefaultUser();
        AddressPlan addresses = addresses();
        if (master == null && addresses.fixed() && observer.deployment().nodes().isEmpty()
                && missing.contains(new Expected.Slot(Service.MASTER, 1))) {
            create(missing, null, addresses, sentinelImage, true);
            return;
        }
        // nothing runs yet that a new node could overwrite or that could name it master (see NodeSpec#fresh)
        boolean fresh = master == null && observer.deployment().nodes().isEmpty();
        if (master == null && missing.contains(new Expected.Slot(Service.MASTER, 1))) {
            // a replica or Sentinel that finds the master not yet listening tries again only a second later
            create(List.of(new Expected.Slot(Service.MASTER, 1)), null, addresses, sentinelImage, fresh);
            missing = missing.stream().filter(s -> s.service() != Service.MASTER).toList();
        }
        if (addresses.fixed()) {
            create(missing, master, addresses, sentinelImage, false);
            return;
        }
        List<Expected.Slot> sentinels = missing.stream().filter(s -> s.service() == Service.SENTINEL).toList();
        create(missing.stream().filter(s -> s.service() != Service.SENTINEL).toList(), master, addresses, sentinelImage,
                fresh);
        if (!sentinels.isEmpty()) {
            progress.step("waiting for the replicas to link to the master");
            // every Redis node running and linked: a node whose start is still under way (a Swarm task being
            // scheduled, its start script asking) would otherwise count as linked, and a Sentinel that meets
            // the master before its replicas link learns them only at its next INFO, 10 s later
            long began = System.nanoTime();
            Await.quietly().until(Await.deadline(REPLICA_LINK_WAIT), () -> {
                List<NodeStatus> redis = observer.status(Expected.of(topology)).nodes();
                return Poll.unless(!redis.isEmpty() && redis.stream().allMatch(n -> "running".equals(n.state())
                        && ("master".equals(n.role()) || "up".equals(n.link()))) ? null : "links");
            });
            log.debug("replicas linked (or the wait ended) after {} ms", (System.nanoTime() - began) / 1_000_000);
            create(sentinels, master, addresses, sentinelImage, fresh);
        }
    }

    /** Puts nodes that an interrupted run or a fault left behind back into service, in parallel. */
    private void repair(List<Repair> repairs) {
        workers.runAll(repairs.stream().<Runnable>map(r -> () -> {
            Node n = r.node();
            switch (r.action()) {
                case RESUME -> {
                    backend.inPlaceRepair().ifPresent(repair -> {
                        progress.step("unpausing " + n.name());
                        repair.resume(n);
                    });
                }
                case REMOVE_HALF_CREATED -> {
                    progress.step("removing half-created " + n.name());
                    backend.remove(n);
                }
                case START -> {
                    progress.step("starting " + n.name());
                    backend.start(n);
                }
                case REATTACH -> {
                    backend.inPlaceRepair().ifPresent(repair -> {
                        progress.step("reconnecting " + n.name() + " to " + Naming.network(topology.project()));
                        repair.reattach(n);
                    });
                }
            }
        }).toList());
    }

    /**
     * Creates and starts the given nodes in parallel; a Sentinel once its image exists, and it starts
     * once the master's start has returned when the master is among them (a Sentinel that found no
     * master for down-after-milliseconds would mark it down; replicas retry their link every second by
     * themselves); the engine creates it and copies its files in meanwhile.
     *
     * @param master the current master, or null for a fresh deployment
     * @param fresh  the nodes of a new deployment: nothing runs yet that one could overwrite or that
     *               could name it master, so its first start skips the start script's question to the
     *               Sentinels ({@link NodeSpec#fresh()})
     */
    private void create(List<Expected.Slot> slots, Node master, AddressPlan addresses, CompletableFuture<Void> sentinelImage,
                        boolean fresh) {
        if (slots.isEmpty()) {
            return;
        }
        String masterHost = master != null ? NodeFactory.masterHost(master, backend)
                : Objects.requireNonNullElse(addresses.address(Service.MASTER, 1), Naming.MASTER_ALIAS);
        NodeFactory.Known known = addresses.fixed() ? known(slots, master, addresses) : NodeFactory.Known.NOTHING;
        Expected.Slot masterSlot = new Expected.Slot(Service.MASTER, 1);
        boolean withMaster = master == null && slots.contains(masterSlot);
        CompletableFuture<Void> masterStarted = withMaster ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
        List<Runnable> tasks = new ArrayList<>();
        // the master first: the pool takes the tasks in order
        for (Expected.Slot slot : slots.stream().sorted(Comparator.comparing(slot -> !slot.equals(masterSlot))).toList()) {
            boolean isMaster = withMaster && slot.equals(masterSlot);
            NodeSpec made = spec(slot, isMaster ? null : masterHost, addresses, known);
            NodeSpec spec = fresh ? made.asFresh() : made;
            tasks.add(() -> {
                if (slot.service() == Service.SENTINEL) {
                    awaitImage(sentinelImage);
                }
                progress.step("creating " + spec.name());
                try {
                    if (slot.service() == Service.SENTINEL) {
                        // created while the master is, started after it
                        backend.create(spec, () -> awaitImage(masterStarted));
                    } else {
                        backend.create(spec);
                    }
                } catch (RuntimeException e) {
                    if (isMaster) {
                        masterStarted.completeExceptionally(e);
                    }
                    throw e;
                }
                if (isMaster) {
                    masterStarted.complete(null);
                }
            });
        }
        workers.runAll(tasks);
        refresh();
    }

    /** @param masterHost the master a Redis node follows (null: it is the master), or the one a Sentinel monitors */
    private NodeSpec spec(Expected.Slot slot, String masterHost, AddressPlan addresses, NodeFactory.Known known) {
        String address = addresses.address(slot.service(), slot.index());
        return switch (slot.service()) {
            case MASTER, REPLICA -> factory.redis(slot.service(), slot.index(), masterHost, address);
            case SENTINEL -> factory.sentinel(slot.index(), masterHost, address, known);
        };
    }

    /** Waits for the Sentinel image (or the master); a failure fails with its own exception. */
    private static void awaitImage(CompletableFuture<Void> sentinelImage) {
        try {
            sentinelImage.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * What a new Sentinel is told: every Redis server of the deployment but the master (those that run
     * and those being created) and every Sentinel of the topology, at their fixed addresses.
     */
    private NodeFactory.Known known(List<Expected.Slot> creating, Node master, AddressPlan addresses) {
        Deployment d = observer.deployment();
        Set<Expected.Slot> redis = new LinkedHashSet<>();
        d.redisNodes().forEach(n -> redis.add(new Expected.Slot(n.service(), n.index())));
        creating.stream().filter(s -> s.service().isRedis()).forEach(redis::add);
        Expected.Slot masterSlot = master == null ? new Expected.Slot(Service.MASTER, 1)
                : new Expected.Slot(master.service(), master.index());
        List<String> replicas = redis.stream().filter(s -> !s.equals(masterSlot))
                .map(s -> addresses.address(s.service(), s.index())).filter(Objects::nonNull).toList();
        Map<Integer, String> sentinels = new TreeMap<>();
        for (int i = 1; i <= topology.sentinels().count(); i++) {
            String address = addresses.address(Service.SENTINEL, i);
            if (address != null) {
                sentinels.put(i, address);
            }
        }
        return new NodeFactory.Known(replicas, sentinels);
    }

    // ---- observing -------------------------------------------------------------------------

    /** The deployment as {@code status} shows it: with TLS, also the certificate that expires first (a handshake with every node). */
    public ClusterStatus status() {
        ClusterStatus status = observer.status(Expected.of(topology));
        String rotating = topology.auth().hasUsers() ? rotation.halfDoneWarning(observer.deployment().nodes())
                : singleRotation.halfDoneWarning(observer.deployment().nodes());
        if (rotating != null) {
            status = status.withWarning(rotating);
        }
        String moving = migration.halfDoneWarning(observer.deployment().nodes());
        if (moving != null) {
            status = status.withWarning(moving);
        }
        if (!tls.enabled()) {
            return status;
        }
        if (tls.replacingCa()) {
            status = status.withWarning("the CA file " + tls.files().caCertificate() + " holds " + tls.trusted().size()
                    + " CAs: a CA is being replaced" + (tls.issues() ? "; once every client trusts the new one, `redisha up"
                    + " --rotate-ca` gives the nodes certificates from it" + (tls.keepsCa() ? " and retires the old" : "") : ""));
        }
        return status.withCertificate(Certificates.soonest(certificates.served(observer.deployment().nodes()),
                tls.settings().renewWithinDays(), Instant.now()));
    }

    public ClusterStatus status(Expected expected) {
        return observer.status(expected);
    }

    /**
     * Waits until the deployment is ready; fails early when a node stops. A Sentinel that still lists
     * a node which is gone (removed, or recreated with another address) is reset, one Sentinel at a
     * time, as the Sentinel documentation prescribes.
     */
    public ClusterStatus waitReady(Expected expected, Duration timeout) {
        return readyWait.await(expected, Await.deadline(timeout));
    }

    /**
     * Resets the Sentinels that keep stale entries (one at a time) when that is safe; returns whether it reset any.
     *
     * @param deadline {@link System#nanoTime()} by which each reset Sentinel must have rediscovered
     *                 the deployment, else {@link NotReadyException}
     */
    public boolean resetStaleSentinels(ClusterStatus status, Expected expected, long deadline) {
        return readyWait.resetStaleSentinels(status, expected, deadline);
    }

    /** Removes the nodes beyond the counts and makes the surviving Sentinels forget them (see {@link Shrink}). */
    void removeExtras(Expected expected, long deadline) {
        shrink.removeExtras(expected, deadline);
    }

    /**
     * Why a stopped master must not start again before Sentinel has promoted a replica; null when it
     * may (see {@link HoldBack}).
     */
    public static String restartHazard(Persistence persistence) {
        return HoldBack.restartHazard(persistence);
    }

    // ---- down ------------------------------------------------------------------------------

    /** What {@link #down} removed and kept. */
    public record DownResult(int containers, int volumesRemoved, List<String> volumesKept) {
    }

    /**
     * Removes the project's nodes and network; the Sentinel image and the data volumes only when
     * asked, so that persistent data survives a down/up.
     */
    public DownResult down(boolean removeImage, boolean removeVolumes) {
        List<Node> nodes = refresh().nodes();
        workers.runAll(nodes.stream().<Runnable>map(n -> () -> {
            progress.step("removing " + n.name());
            backend.remove(n);
        }).toList());
        backend.removeSharedObjects();
        if (removeImage) {
            progress.step("removing image " + Naming.sentinelImage(topology.project()));
            backend.imageBuilds().ifPresent(builds -> builds.removeImage(Naming.sentinelImage(topology.project())));
            removeOldImages();
        }
        List<String> volumes = backend.volumes();
        if (removeVolumes) {
            for (String volume : volumes) {
                progress.step("removing volume " + volume);
                backend.removeVolume(volume);
            }
        }
        refresh();
        log.debug("removed {} nodes of {}", nodes.size(), topology.project());
        return new DownResult(nodes.size(), removeVolumes ? volumes.size() : 0, removeVolumes ? List.of() : volumes);
    }

    @Override
    public void close() {
        workers.close();
    }
}
