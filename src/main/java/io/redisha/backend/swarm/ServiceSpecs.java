package io.redisha.backend.swarm;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
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
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.VolumeOptions;
import io.redisha.backend.BackendException;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.NodeSpec;
import io.redisha.backend.Service;
import io.redisha.backend.StartScript;
import io.redisha.backend.docker.Labels;
import io.redisha.backend.docker.SingleEngineBackend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a node's Swarm service: one replica pinned to its host, the task's container with its files
 * as Swarm configs (secrets when they hold a password) and the start script before the image's own
 * entrypoint, its data volume, restart policy, network aliases and host-mode port.
 */
final class ServiceSpecs {
    private static final String CONFIG_DIR = "/run/redisha/";
    private static final String SECRET_DIR = "/run/secrets/";
    /** The file, among a Redis task's secrets, holding Sentinel's password. */
    private static final String SENTINEL_AUTH = "redisha-sentinel-auth";
    static final long STOP_GRACE_NANOS = Duration.ofSeconds(5).toNanos();

    private final SwarmApi api;
    private final ProjectServices services;
    private final SingleEngineBackend manager;
    private final String project;
    private final String network;
    private final SwarmBackend.Options options;
    private final Object placing = new Object();

    ServiceSpecs(SwarmApi api, ProjectServices services, SingleEngineBackend manager, String project,
                 SwarmBackend.Options options) {
        this.api = api;
        this.services = services;
        this.manager = manager;
        this.project = project;
        this.network = Naming.network(project);
        this.options = options;
    }

    /** Creates the node's service on the host {@link ProjectServices#chooseHost} picks; returns the service's id. */
    String create(NodeSpec spec) {
        String image = spec.service() == Service.SENTINEL ? options.redisImage() : spec.image();
        synchronized (placing) {
            ProjectServices.Spot spot = services.chooseHost(spec.service());
            String host = spot.host();
            int port = spec.hostPort() == null ? spot.port() : spec.hostPort();
            Map<String, String> labels = Labels.node(project, spec.service(), spec.index(), spec.settings());
            Map<String, byte[]> files = spec.files();
            String firstStart = null;
            if (spec.fresh() && spec.service().isRedis()) {
                files = new java.util.LinkedHashMap<>(files);
                files.put(SwarmSnapshots.FIRST_START_PATH, firstStartMarker());
                firstStart = SwarmSnapshots.FIRST_START_PATH;
            }
            ContainerSpec container = container(spec.name(), image, spec.cmd(), files, labels, spec.index(), spec.service(),
                    firstStart)
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

    /**
     * The service changed to mount new configs (or secrets) for the files, with a new task forced and one
     * replica: the task starts again with the new configuration.
     */
    void reconfigure(Node node, ServiceSpec spec, Map<String, byte[]> files) {
        TaskSpec task = spec.getTaskTemplate();
        ContainerSpec old = task.getContainerSpec();
        List<String> cmd = old.getCommand();
        List<String> tail = TaskScript.nodeCommand(cmd, entrypoint(old.getImage()).size());
        ContainerSpec fresh = container(node.name(), old.getImage(), tail, files, old.getLabels(), node.index(), node.service(),
                null);
        task.withContainerSpec(old.withCommand(fresh.getCommand()).withConfigs(fresh.getConfigs())
                .withSecrets(fresh.getSecrets()));
        task.withForceUpdate(task.getForceUpdate() == null ? 1 : task.getForceUpdate() + 1);
        spec.withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)));
    }

    /**
     * The container: its files mounted from Swarm configs or secrets and copied into the data
     * directory at start when they changed (Sentinel rewrites its file, and a CONFIG REWRITE of a
     * server must survive a restart of its task), then the image's own entrypoint and the command.
     */
    private ContainerSpec container(String name, String image, List<String> cmd, Map<String, byte[]> files,
                                    Map<String, String> labels, int index, Service service, String firstStart) {
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
                String id = ensureSecret(objectName, password, labels);
                secrets.add(new ContainerSpecSecret().withSecretId(id)
                        .withSecretName(objectName).withFile(new ContainerSpecFile().withName(SENTINEL_AUTH)
                                .withUid("0").withGid("0").withMode(0400L)));
                // copied into the data volume when the secret is new: a password rotated in place replaces
                // that copy (TaskFiles), and a restarted task reads it there
                script.apply(SECRET_DIR + SENTINEL_AUTH, TaskFiles.SENTINEL_AUTH_PATH,
                        Naming.DATA_DIR + "/.redisha-applied-" + SENTINEL_AUTH, id);
                auth = TaskFiles.SENTINEL_AUTH_PATH;
            }
            command.addAll(StartScript.command(project, files, options.sentinels(), options.masterName(),
                    options.holdBack(), auth, options.authUser(), firstStart));
        }
        command.addAll(entrypoint(image));
        command.addAll(cmd);
        return new ContainerSpec().withImage(image).withLabels(labels).withCommand(script.then(command))
                .withConfigs(configs).withSecrets(secrets).withStopGracePeriod(STOP_GRACE_NANOS);
    }

    /** How long after its creation a new node's first-start marker still counts (see {@link #firstStartMarker}). */
    static final Duration FIRST_START_VALID = Duration.ofMinutes(10);

    /**
     * The first-start marker of a node created with a new deployment, in which no Sentinel can name another
     * master (its own Sentinels, started beside it, name it master and would hold its start for the whole
     * hold-back): a Swarm config the task script copies into the data volume once (not again when the task
     * restarts, see task.sh), which the start script removes and then starts the server at once. It holds the
     * time until which it counts, in seconds since the epoch: a task that finds it later (its host's volume
     * lost and made anew) asks the Sentinels as any restart does.
     */
    static byte[] firstStartMarker() {
        long until = java.time.Instant.now().plus(FIRST_START_VALID).getEpochSecond();
        return (until + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private List<String> entrypoint(String image) {
        return manager.entrypoint(image);
    }

    /**
     * A file that holds a password or a private key goes into a Swarm secret (encrypted at rest, in
     * memory in the task), never a config.
     */
    static boolean holdsPassword(byte[] content) {
        if (new String(content, StandardCharsets.UTF_8).contains("PRIVATE KEY-----")) {
            return true;
        }
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

    String ensureSecret(String name, byte[] content, Map<String, String> labels) {
        String existing = api.call("listing secret " + name, () -> api.client.listSecretsCmd()
                .withNameFilter(List.of(name)).exec().stream().filter(s -> name.equals(s.getSpec().getName()))
                .map(com.github.dockerjava.api.model.Secret::getId).findFirst().orElse(null));
        return existing != null ? existing : api.createSecret(name, content, labels);
    }
}
