package io.redisha.cluster;

import io.redisha.backend.AddressRange;
import io.redisha.backend.Backend;
import io.redisha.backend.Endpoint;
import io.redisha.backend.FaultKind;
import io.redisha.backend.ImageBuilds;
import io.redisha.backend.ImageFacts;
import io.redisha.backend.InPlaceRepair;
import io.redisha.backend.LocalPorts;
import io.redisha.backend.Node;
import io.redisha.backend.NodeSpec;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.sentinel.Probe;
import io.redisha.sentinel.ReplicationInfo;
import io.redisha.sentinel.SentinelView;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A backend held in memory, for unit tests of the orchestrator's decisions: it records every call
 * that changes something ("create p-master-1", "start p-replica-2"), and, as a {@link Probe},
 * answers for the Redis servers and Sentinels the way a healthy deployment would: the master is
 * {@link #master} (the master service's node unless a test promotes another), every other running
 * server replicates from it with its link up, every running Sentinel names it and knows every
 * other running node.
 */
final class FakeBackend implements Backend, ImageBuilds, InPlaceRepair, LocalPorts, Probe {
    static final FaultKind FREEZE = new FaultKind("freeze", "frozen", "thawed", false, "a fake fault");

    private final String project;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<String, byte[]>> files = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private int nextIp = 2;
    private static final String FIXED_PREFIX = "10.9.1.";
    /** The exporter each created node came with, by node name. */
    final Map<String, io.redisha.backend.ExporterSpec> exporters = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether the network was created by the fake with fixed addresses (not by a test's {@link #add}). */
    private boolean fixedNetwork;
    private boolean network;
    /** Whether the network the fake creates keeps fixed addresses (those of a test's {@link #add} are dynamic). */
    volatile boolean fixedAddresses = true;
    /**
     * Whether the fake offers what a single engine does besides {@link Backend} (image builds, in-place
     * repair, local ports); false: it offers none of them, as a Swarm.
     */
    volatile boolean singleEngineCapabilities = true;
    /** Whether passwords are rotated in place here ({@link Backend#rotatesPasswordsInPlace}), as on a Swarm with swarm.engines. */
    volatile boolean rotatesPasswords;

    @Override
    public boolean rotatesPasswordsInPlace() {
        return rotatesPasswords;
    }

    /** Name of the node that answers role:master; null: the master service's node. */
    volatile String master;
    /**
     * Sentinel's part in the model: once the Sentinels have been asked this many times while the
     * master is down, they promote {@link #promote}; 0 for never.
     */
    volatile int promoteAfterAsks;
    volatile String promote;
    private int sentinelAsks;

    FakeBackend(String project) {
        this.project = project;
    }

    /** Adds a node as it would be found on the engine, without recording a call. */
    synchronized Node add(Service service, int index, NodeState state) {
        return add(service, index, state, "10.9.0." + nextIp++);
    }

    /** The node labelled as recording {@code settings} ({@link NodeSettings#recorded}), as a node made by up is. */
    synchronized void record(String name, String settings) {
        Node old = nodes.get(name);
        nodes.put(name, new Node(old.id(), old.name(), old.service(), old.index(), old.state(), old.networkIp(),
                old.dial(), old.image(), old.host(), settings));
    }

    private synchronized Node add(Service service, int index, NodeState state, String address) {
        String name = project + "-" + service.label() + "-" + index;
        boolean attached = state == NodeState.RUNNING || state == NodeState.PAUSED;
        Node node = new Node("id-" + name, name, service, index, state, attached ? address : null,
                state == NodeState.RUNNING ? dial(address) : null, "redis:7", null);
        nodes.put(name, node);
        addresses.put(name, address);
        network = true;
        return node;
    }

    private static Endpoint dial(String address) {
        return new Endpoint("127.0.0.1", 30000 + (AddressRange.toInt(address) & 0xffff));
    }

    /** Every call that changed something, in order. */
    List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The files last put into a node, by path. */
    synchronized Map<String, byte[]> files(String name) {
        return files.get(name);
    }

    private synchronized void set(Node n, NodeState state) {
        Node old = nodes.get(n.name());
        String ip = state == NodeState.RUNNING ? (old.networkIp() != null ? old.networkIp() : address(old)) : null;
        Endpoint dial = state == NodeState.RUNNING ? dial(ip) : null;
        nodes.put(n.name(), new Node(old.id(), old.name(), old.service(), old.index(), state, ip, dial, old.image(), null));
    }

    /** The address a node comes back with: its fixed one, else a new one. */
    private synchronized String address(Node n) {
        String fixed = addresses.get(n.name());
        if (fixed != null && fixed.startsWith(FIXED_PREFIX)) {
            return fixed;
        }
        String fresh = "10.9.0." + nextIp++;
        addresses.put(n.name(), fresh);
        return fresh;
    }

    // ---- Backend, with what a single engine offers besides -----------------------------------

    @Override
    public Optional<ImageBuilds> imageBuilds() {
        return singleEngineCapabilities ? Optional.of(this) : Optional.empty();
    }

    @Override
    public Optional<InPlaceRepair> inPlaceRepair() {
        return singleEngineCapabilities ? Optional.of(this) : Optional.empty();
    }

    @Override
    public Optional<LocalPorts> localPorts() {
        return singleEngineCapabilities ? Optional.of(this) : Optional.empty();
    }

    @Override
    public String describe() {
        return "fake://" + project;
    }

    @Override
    public synchronized List<Node> nodes() {
        return nodes.values().stream().sorted(Comparator.comparing(Node::service).thenComparingInt(Node::index)).toList();
    }

    @Override
    public synchronized boolean exists() {
        return !nodes.isEmpty() || network;
    }

    @Override
    public String create(NodeSpec spec) {
        calls.add("create " + spec.name() + (spec.fresh() ? " (fresh)" : ""));
        synchronized (this) {
            files.put(spec.name(), spec.files());
            if (spec.exporter() != null) {
                exporters.put(spec.name(), spec.exporter());
            }
            String address = spec.address() != null ? spec.address() : "10.9.0." + nextIp++;
            return add(spec.service(), spec.index(), NodeState.RUNNING, address).id();
        }
    }

    @Override
    public void start(Node node) {
        calls.add("start " + node.name());
        set(node, NodeState.RUNNING);
    }

    @Override
    public void stop(Node node) {
        calls.add("stop " + node.name());
        set(node, NodeState.EXITED);
    }

    @Override
    public void remove(Node node) {
        calls.add("remove " + node.name());
        synchronized (this) {
            nodes.remove(node.name());
        }
    }

    @Override
    public void resume(Node node) {
        calls.add("resume " + node.name());
        set(node, NodeState.RUNNING);
    }

    @Override
    public void reattach(Node node) {
        calls.add("reattach " + node.name());
        synchronized (this) {
            Node old = nodes.get(node.name());
            nodes.put(old.name(), new Node(old.id(), old.name(), old.service(), old.index(), old.state(),
                    address(old), old.dial(), old.image(), null));
        }
    }

    /** Detaches a running node from the network, as a fault would. */
    synchronized void detach(Node node) {
        Node old = nodes.get(node.name());
        nodes.put(old.name(), new Node(old.id(), old.name(), old.service(), old.index(), old.state(), null,
                old.dial(), old.image(), null));
    }

    @Override
    public void startWith(Node node, Map<String, byte[]> newFiles) {
        calls.add("startWith " + node.name());
        synchronized (this) {
            files.put(node.name(), newFiles);
        }
        set(node, NodeState.RUNNING);
    }

    @Override
    public List<String> logs(Node node, int lines) {
        return List.of("log of " + node.name());
    }

    @Override
    public boolean imageExists(String image) {
        return !image.startsWith("missing");
    }

    /** Images other than the default (a Redis 7.0.15 image that declares itself); absent from the map: on the engine as default. */
    final Map<String, ImageFacts> images = new java.util.HashMap<>();
    /** What "image program" prints when run once; absent: the image has no such program. */
    final Map<String, String> programs = new java.util.HashMap<>();

    @Override
    public Optional<ImageFacts> imageFacts(String image) {
        if (image.startsWith("missing")) {
            return Optional.empty();
        }
        return Optional.of(images.getOrDefault(image, new ImageFacts(List.of("redis-server"),
                List.of("docker-entrypoint.sh"), Map.of("REDIS_VERSION", "7.0.15"), Map.of())));
    }

    @Override
    public Optional<String> runOnce(String image, String program, List<String> args) {
        calls.add("runOnce " + image + " " + program + " " + String.join(" ", args));
        return Optional.ofNullable(programs.get(image + " " + program));
    }

    @Override
    public boolean buildImage(File contextDir, String tag, Map<String, String> buildArgs) {
        calls.add("buildImage " + tag);
        return true;
    }

    @Override
    public void removeImage(String tag) {
        calls.add("removeImage " + tag);
    }

    @Override
    public int removeOldImages() {
        return 0;
    }

    @Override
    public synchronized Optional<AddressRange> ensureNetwork() {
        if (!network) {
            calls.add("createNetwork");
            network = true;
            fixedNetwork = fixedAddresses;
        }
        return fixedNetwork ? Optional.of(new AddressRange(FIXED_PREFIX + "2", 126)) : Optional.empty();
    }

    @Override
    public synchronized void removeSharedObjects() {
        calls.add("removeSharedObjects");
        network = false;
        fixedNetwork = false;
    }

    @Override
    public List<String> volumes() {
        return List.of();
    }

    @Override
    public void removeVolume(String name) {
        calls.add("removeVolume " + name);
    }

    @Override
    public boolean hostPortFree(String bind, int port) {
        return port != 6666;
    }

    @Override
    public List<FaultKind> faults() {
        return List.of(FREEZE);
    }

    @Override
    public void inject(FaultKind fault, Node target) {
        calls.add("inject " + fault.name() + " " + target.name());
    }

    @Override
    public boolean heal(FaultKind fault, Node target) {
        calls.add("heal " + fault.name() + " " + target.name());
        return true;
    }

    @Override
    public Backend reopen() {
        return this;
    }

    @Override
    public void close() {
    }

    // ---- Probe: a healthy deployment -------------------------------------------------------

    private synchronized Optional<Node> masterNode() {
        return nodes.values().stream().filter(n -> master == null ? n.service() == Service.MASTER
                : n.name().equals(master)).findFirst();
    }

    private synchronized Node running(Endpoint address) {
        Node n = nodes.get(address.host());
        if (n == null || !n.isRunning()) {
            throw new IllegalStateException("connection refused: " + address);
        }
        return n;
    }

    @Override
    public synchronized ReplicationInfo replication(Endpoint address) {
        Node n = running(address);
        Node m = masterNode().orElse(null);
        if (n.equals(m)) {
            StringBuilder info = new StringBuilder("role:master\r\n");
            int i = 0;
            for (Node r : nodes.values()) {
                if (r.service().isRedis() && r.isRunning() && !r.equals(m)) {
                    info.append("slave").append(i++).append(":ip=").append(r.networkIp())
                            .append(",port=6379,state=online,offset=1,lag=0\r\n");
                }
            }
            return ReplicationInfo.parse(info.toString());
        }
        boolean up = m != null && m.isRunning() && m.networkIp() != null;
        return ReplicationInfo.parse("role:slave\r\nmaster_host:" + (m == null ? "?" : m.networkIp())
                + "\r\nmaster_port:6379\r\nmaster_link_status:" + (up ? "up" : "down") + "\r\n");
    }

    @Override
    public synchronized SentinelView sentinelView(Endpoint address) {
        Node self = running(address);
        sentinelAsks++;
        if (promoteAfterAsks > 0 && sentinelAsks > promoteAfterAsks && masterNode().map(m -> !m.isRunning()).orElse(true)) {
            master = promote;
        }
        Node m = masterNode().orElse(null);
        List<SentinelView.Instance> replicas = new ArrayList<>();
        List<SentinelView.Instance> sentinels = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (!n.isRunning() || n.networkIp() == null || n.equals(m) || n.equals(self)) {
                continue;
            }
            String a = n.networkAddress();
            if (n.service().isRedis()) {
                replicas.add(new SentinelView.Instance(a, a, "slave"));
            } else {
                sentinels.add(new SentinelView.Instance("run-" + n.name(), a, "sentinel"));
            }
        }
        String masterAddress = m == null || m.networkIp() == null ? null : m.networkAddress();
        return new SentinelView(masterAddress, "master", replicas, sentinels, true, "OK 3 usable Sentinels", false, null);
    }
}
