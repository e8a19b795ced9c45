package io.redisha.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.TaskSpec;
import io.redisha.backend.BackendException;
import io.redisha.backend.Endpoint;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.backend.docker.Labels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.redisha.backend.docker.Labels.PROJECT;
import static io.redisha.backend.docker.Labels.SERVICE;

/**
 * The project's services as nodes: each service is one node, pinned to a host, and its newest task
 * tells the node's state and address. Also where a new node goes.
 */
final class ProjectServices {
    private static final Pattern PINNED = Pattern.compile("node\\.hostname\\s*==\\s*(\\S+)");
    private static final Pattern DIAL = Pattern.compile("([^+]+)(?:\\+([0-9]+))?");

    private final SwarmApi api;
    private final SwarmHosts hosts;
    private final String project;
    private final String network;
    private final SwarmBackend.Options options;

    ProjectServices(SwarmApi api, SwarmHosts hosts, String project, SwarmBackend.Options options) {
        this.api = api;
        this.hosts = hosts;
        this.project = project;
        this.network = Naming.network(project);
        this.options = options;
    }

    /** The project's services: one a node, and one a node's exporter ({@link ExporterServices}). */
    List<com.github.dockerjava.api.model.Service> services() {
        return api.call("listing services", () -> api.client.listServicesCmd()
                .withLabelFilter(Map.of(PROJECT, project)).exec());
    }

    static Optional<String> pinnedHost(com.github.dockerjava.api.model.Service s) {
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

    /** The hosts the project's nodes are pinned to. */
    Set<String> pinnedHosts() {
        Set<String> pinned = new TreeSet<>();
        services().forEach(s -> pinnedHost(s).ifPresent(pinned::add));
        return pinned;
    }

    /** Every node of the project, from its service and that service's newest task. */
    List<Node> nodes() {
        List<com.github.dockerjava.api.model.Service> services = services();
        if (services.isEmpty()) {
            return List.of();
        }
        Map<String, SwarmNode> byName = hosts.byName();
        List<JsonNode> tasks = api.tasks(services.stream().map(com.github.dockerjava.api.model.Service::getId).toList());
        List<Node> nodes = new ArrayList<>();
        for (var s : services) {
            Map<String, String> labels = s.getSpec().getLabels() == null ? Map.of() : s.getSpec().getLabels();
            Optional<Service> kind = Service.fromLabel(labels.get(SERVICE));
            if (kind.isEmpty()) {
                continue;
            }
            nodes.add(toNode(s, kind.get(), Labels.index(labels), labels.get(Labels.SETTINGS), byName, tasks));
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
        String hostState = host == null ? null : SwarmHosts.state(hosts.get(host));
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

    /** A host for a new node, and the first port of its kind that no node of the project publishes there. */
    record Spot(String host, int port) {
    }

    /**
     * The usable host that runs the fewest nodes of the same kind (Redis server or Sentinel), the
     * first by name among equals: the spread {@link Placement} assumes. A Redis server shares a host
     * only when the topology accepts the risk.
     */
    Spot chooseHost(Service kind) {
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
        Map<String, SwarmNode> byName = hosts.byName();
        String best = null;
        for (var h : byName.entrySet()) {
            if (SwarmHosts.usable(h.getValue()) && (best == null || load.getOrDefault(h.getKey(), 0) < load.getOrDefault(best, 0))) {
                best = h.getKey();
            }
        }
        if (best == null || (kind.isRedis() && load.getOrDefault(best, 0) > 0 && !options.acceptRisk())) {
            throw new BackendException("no usable swarm host is left for another " + (kind.isRedis() ? "Redis server"
                    : "Sentinel") + ": each Redis server runs on a host of its own and " + load.keySet() + " are taken"
                    + " (hosts: " + byName.keySet() + "; swarm.accept-risk: true lets two share a host)");
        }
        Set<Integer> used = ports.getOrDefault(best, Set.of());
        int port = kind.port();
        while (used.contains(port)) {
            port++;
        }
        return new Spot(best, port);
    }
}
