package io.redisha.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The integration tests' own view of the engine, through Testcontainers' Docker client rather than
 * redisha's code, so that what redisha claims is checked independently. A missing engine fails the
 * test with a clear message; it never skips.
 */
public final class Engine {
    public static final String PROJECT_LABEL = "io.redisha.project";

    private Engine() {
    }

    public static DockerClient client() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            fail("no Docker engine is reachable: run scripts/setup (scripts/test does) before the integration tests");
        }
        return DockerClientFactory.instance().client();
    }

    public static List<Container> containers(String project) {
        return client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(PROJECT_LABEL, project)).exec();
    }

    public static List<Network> networks(String project) {
        return client().listNetworksCmd().exec().stream()
                .filter(n -> n.getLabels() != null && project.equals(n.getLabels().get(PROJECT_LABEL))).toList();
    }

    public static List<String> volumes(String project) {
        var volumes = client().listVolumesCmd().withFilter("label", List.of(PROJECT_LABEL + "=" + project)).exec().getVolumes();
        return volumes == null ? List.of() : volumes.stream().map(v -> v.getName()).toList();
    }

    /** Asserts that the engine holds no container and no network of the project. */
    public static void assertNothingOf(String project) {
        assertTrue(containers(project).isEmpty(), "containers of " + project + " exist");
        assertTrue(networks(project).isEmpty(), "a network of " + project + " exists");
    }

    public static Container container(String project, String service, int index) {
        return containers(project).stream()
                .filter(c -> service.equals(c.getLabels().get("io.redisha.service"))
                        && Integer.toString(index).equals(c.getLabels().get("io.redisha.index")))
                .findFirst().orElseThrow(() -> new AssertionError("no container " + project + "/" + service + "/" + index));
    }

    public static InspectContainerResponse inspect(String id) {
        return client().inspectContainerCmd(id).exec();
    }

    /** The loopback port the container publishes for its Redis or Sentinel port. */
    public static int hostPort(String id, int containerPort) {
        Ports.Binding[] bindings = inspect(id).getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings == null || bindings.length == 0) {
            throw new AssertionError("container " + id + " publishes no port for " + containerPort);
        }
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }

    public static String ip(String id) {
        return inspect(id).getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    /** Everything the container wrote to stdout and stderr, across its restarts. */
    public static String logs(String id) throws InterruptedException {
        StringBuilder lines = new StringBuilder();
        client().logContainerCmd(id).withStdOut(true).withStdErr(true)
                .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                    @Override
                    public void onNext(com.github.dockerjava.api.model.Frame f) {
                        synchronized (lines) {
                            lines.append(new String(f.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }
                }).awaitCompletion();
        return lines.toString();
    }

    /** Runs a command in a running container (as root) and returns what it printed, stdout and stderr together. */
    public static String exec(String id, String... command) throws InterruptedException {
        String exec = client().execCreateCmd(id).withCmd(command).withAttachStdout(true).withAttachStderr(true)
                .exec().getId();
        StringBuilder out = new StringBuilder();
        client().execStartCmd(exec).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Frame f) {
                synchronized (out) {
                    out.append(new String(f.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
        synchronized (out) {
            return out.toString();
        }
    }

    /** Removes whatever a test left of a project, by label; only that project's objects. */
    public static void purge(String project) {
        for (Container c : containers(project)) {
            client().removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        }
        for (Network n : networks(project)) {
            client().removeNetworkCmd(n.getId()).exec();
        }
        for (String volume : volumes(project)) {
            client().removeVolumeCmd(volume).exec();
        }
    }
}
