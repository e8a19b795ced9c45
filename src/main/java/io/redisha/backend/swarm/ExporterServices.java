package io.redisha.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import io.redisha.backend.BackendException;
import io.redisha.backend.Endpoint;
import io.redisha.backend.ExporterSpec;
import io.redisha.backend.Exporters;
import io.redisha.backend.Naming;
import io.redisha.backend.NodeState;
import io.redisha.backend.docker.Labels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The nodes' Prometheus exporters on a Swarm: one service per node, {@code NODE-exporter}, of one task pinned
 * to the host its node is pinned to (so it runs where its node runs and waits with it while that host is
 * down), on the project's overlay network, scraping its node by service name, its metrics port published in
 * host mode on that host at the fixed port the cluster chose ({@code metrics.port}). Its files (the password
 * file, its TLS key and certificates) are Swarm secrets mounted where the exporter reads them, owned by the
 * image's user, mode 0400: the exporter image has no shell to copy them, and nothing secret is in the
 * service's spec.
 */
final class ExporterServices implements Exporters {
    private static final long RESTART_DELAY_NANOS = Duration.ofSeconds(2).toNanos();

    private final SwarmApi api;
    private final SwarmHosts hosts;
    private final ProjectServices services;
    private final ServiceSpecs specs;
    private final String project;
    private final String network;
    private final java.util.function.Function<String, String> imageUser;

    /**
     * @param imageUser an image's numeric {@code uid:gid}, or null for root (read on the manager's engine)
     */
    ExporterServices(SwarmApi api, SwarmHosts hosts, ProjectServices services, ServiceSpecs specs, String project,
                     java.util.function.Function<String, String> imageUser) {
        this.api = api;
        this.hosts = hosts;
        this.services = services;
        this.specs = specs;
        this.project = project;
        this.network = Naming.network(project);
        this.imageUser = imageUser;
    }

    /** The project's exporter services. */
    private List<com.github.dockerjava.api.model.Service> exporterServices() {
        return services.services().stream().filter(s -> nodeOf(s) != null).toList();
    }

    private static String nodeOf(com.github.dockerjava.api.model.Service s) {
        Map<String, String> labels = s.getSpec().getLabels();
        return labels == null ? null : labels.get(Labels.EXPORTER_OF);
    }

    /** The labels of the exporter of that node, on its service, its container and its secrets. */
    private static Map<String, String> labels(String project, String nodeName) {
        Map<String, String> labels = Labels.project(project);
        labels.put(Labels.EXPORTER_OF, nodeName);
        return labels;
    }

    /**
     * Creates the exporter of the node pinned to {@code host}, or updates the one that exists (a new task:
     * it reads its password file only when it starts).
     */
    void create(String nodeName, String host, ExporterSpec exporter) {
        ServiceSpec spec = spec(project, nodeName, host, exporter, imageUser.apply(exporter.image()),
                (objectName, content) -> specs.ensureSecret(objectName, content, labels(project, nodeName)));
        String name = ExporterSpec.name(nodeName);
        var existing = exporterServices().stream().filter(s -> nodeName.equals(nodeOf(s))).findFirst();
        if (existing.isPresent()) {
            var s = existing.get();
            TaskSpec old = s.getSpec().getTaskTemplate();
            int force = old == null || old.getForceUpdate() == null ? 1 : old.getForceUpdate() + 1;
            spec.getTaskTemplate().withForceUpdate(force);
            api.run("updating service " + name, () -> api.client.updateServiceCmd(s.getId(), spec)
                    .withVersion(s.getVersion().getIndex()).exec());
            return;
        }
        api.run("creating service " + name + " on " + host, () -> {
            try {
                api.client.createServiceCmd(spec).exec();
            } catch (ConflictException e) {
                throw new BackendException("a service named " + name + " exists but is not labelled as project "
                        + project + "'s; remove or rename it", e);
            }
        });
    }

    /**
     * The exporter's service.
     *
     * @param user   the image's numeric {@code uid:gid}, owner of its files, or null for root
     * @param secret the id of the Swarm secret of that name holding that content (made when missing)
     */
    static ServiceSpec spec(String project, String nodeName, String host, ExporterSpec exporter, String user,
                            java.util.function.BiFunction<String, byte[], String> secret) {
        String name = ExporterSpec.name(nodeName);
        String network = Naming.network(project);
        Map<String, String> labels = labels(project, nodeName);
        String uid = user == null ? "0" : user.substring(0, user.indexOf(':'));
        String gid = user == null ? "0" : user.substring(user.indexOf(':') + 1);
        List<ContainerSpecSecret> secrets = new ArrayList<>();
        for (var file : new TreeMap<>(exporter.files()).entrySet()) {
            String objectName = ServiceSpecs.objectName(name, file.getKey(), file.getValue());
            // an absolute target: the secret is mounted where the exporter reads the file
            secrets.add(new ContainerSpecSecret().withSecretId(secret.apply(objectName, file.getValue()))
                    .withSecretName(objectName).withFile(new ContainerSpecFile().withName(file.getKey())
                            .withUid(uid).withGid(gid).withMode(0400L)));
        }
        ContainerSpec container = new ContainerSpec().withImage(exporter.image()).withArgs(exporter.cmd())
                .withLabels(labels).withSecrets(secrets);
        TaskSpec task = new TaskSpec()
                .withContainerSpec(container)
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                        .withDelay(RESTART_DELAY_NANOS).withMaxAttempts(0L))
                .withPlacement(new ServicePlacement().withConstraints(List.of("node.hostname==" + host)))
                .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(network)));
        int published = exporter.hostPort() != null ? exporter.hostPort() : exporter.port();
        return new ServiceSpec()
                .withName(name)
                .withLabels(labels)
                .withTaskTemplate(task)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)))
                .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR)
                        .withPorts(List.of(new PortConfig().withProtocol(PortConfigProtocol.TCP)
                                .withTargetPort(exporter.port()).withPublishedPort(published)
                                .withPublishMode(PortConfig.PublishMode.host))));
    }

    /** Removes the node's exporter; Swarm stops its task afterwards. */
    void remove(String nodeName) {
        exporterServices().stream().filter(s -> nodeName.equals(nodeOf(s))).forEach(this::remove);
    }

    /** Removes every exporter of the project, whose nodes may be gone already. */
    void removeAll() {
        exporterServices().forEach(this::remove);
    }

    private void remove(com.github.dockerjava.api.model.Service s) {
        api.removeService(s.getId(), s.getSpec().getName());
    }

    @Override
    public List<Exporter> list() {
        List<com.github.dockerjava.api.model.Service> exporters = exporterServices();
        if (exporters.isEmpty()) {
            return List.of();
        }
        var byName = hosts.byName();
        List<JsonNode> tasks = api.tasks(exporters.stream().map(com.github.dockerjava.api.model.Service::getId).toList());
        List<Exporter> found = new ArrayList<>();
        for (var s : exporters) {
            String host = ProjectServices.pinnedHost(s).orElse(null);
            String hostState = host == null ? null : SwarmHosts.state(byName.get(host));
            boolean running = ("ready".equals(hostState) || "unknown".equals(hostState)) && tasks.stream()
                    .filter(t -> s.getId().equals(t.path("ServiceID").asText()))
                    .filter(t -> Set.of("running", "ready").contains(t.path("DesiredState").asText()))
                    .max(Comparator.comparingLong(t -> t.path("Version").path("Index").asLong()))
                    .map(t -> "running".equals(t.path("Status").path("State").asText())).orElse(false);
            Endpoint dial = null;
            if (running) {
                dial = services.dial(host, publishedPort(s));
            }
            found.add(new Exporter(s.getId(), nodeOf(s), running ? NodeState.RUNNING : NodeState.EXITED, dial));
        }
        found.sort(Comparator.comparing(Exporter::node));
        return found;
    }

    private static int publishedPort(com.github.dockerjava.api.model.Service s) {
        EndpointSpec endpoint = s.getSpec().getEndpointSpec();
        if (endpoint != null && endpoint.getPorts() != null && !endpoint.getPorts().isEmpty()) {
            return endpoint.getPorts().get(0).getPublishedPort();
        }
        throw new BackendException("service " + s.getSpec().getName() + " publishes no port");
    }

    /** The new exporter on the host its node is pinned to ({@code bind} is the host's: host-mode ports). */
    @Override
    public void replace(String nodeName, String bind, ExporterSpec spec) {
        String host = services.services().stream().filter(s -> nodeName.equals(s.getSpec().getName()))
                .map(ProjectServices::pinnedHost).flatMap(java.util.Optional::stream).findFirst()
                .orElseThrow(() -> new BackendException("node " + nodeName + " is not pinned to a host"));
        create(nodeName, host, spec);
    }

    /** The host a newly created node's service is pinned to. */
    String hostOf(String serviceId) {
        var s = api.call("inspecting service " + serviceId, () -> api.client.inspectServiceCmd(serviceId).exec());
        return ProjectServices.pinnedHost(s).orElseThrow(() -> new BackendException("service " + s.getSpec().getName()
                + " is not pinned to a host"));
    }
}
