package io.redisha.backend.swarm;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeState;
import io.redisha.backend.BackendException;
import io.redisha.backend.Node;
import io.redisha.backend.StartScript;
import io.redisha.backend.docker.LogTail;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node's life as its service's: started and stopped by scaling to one replica and to none, removed
 * with its service, and started again with new files by an update of the service.
 */
final class ServiceLifecycle {
    private final SwarmApi api;
    private final SwarmHosts hosts;
    private final ServiceSpecs specs;

    ServiceLifecycle(SwarmApi api, SwarmHosts hosts, ServiceSpecs specs) {
        this.api = api;
        this.hosts = hosts;
        this.specs = specs;
    }

    private void update(Node node, String what, java.util.function.Consumer<ServiceSpec> change) {
        api.run(what + " " + node.name(), () -> {
            var s = api.client.inspectServiceCmd(node.id()).exec();
            ServiceSpec spec = s.getSpec();
            change.accept(spec);
            api.client.updateServiceCmd(node.id(), spec).withVersion(s.getVersion().getIndex()).exec();
        });
    }

    void scale(Node node, int replicas) {
        update(node, replicas == 0 ? "stopping" : "starting", spec ->
                spec.withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas))));
    }

    long replicas(Node node) {
        var s = api.call("inspecting service " + node.name(), () -> api.client.inspectServiceCmd(node.id()).exec());
        return s.getSpec().getMode() == null || s.getSpec().getMode().getReplicated() == null ? 1
                : s.getSpec().getMode().getReplicated().getReplicas();
    }

    void start(Node node) {
        if (replicas(node) == 0) {
            scale(node, 1);
        }
    }

    /**
     * Scales the node's service to 0 and returns once its task no longer runs, as a stop on one engine
     * does: a Sentinel still running would announce itself again to Sentinels being reset.
     */
    void stop(Node node) {
        scale(node, 0);
        awaitNoTaskRunning(node);
    }

    /**
     * Removes the node's service; Swarm stops its task afterwards (and forgets it, so nothing can be
     * awaited here): a node that must be gone first is stopped first, as a shrink does.
     */
    void remove(Node node) {
        api.removeService(node.id(), node.name());
    }

    /**
     * Until no task of the node's service runs, at most the grace period and 20 s. Not when its host
     * is down: the tasks there still read running, and stop when the host is back.
     */
    private void awaitNoTaskRunning(Node node) {
        SwarmNode host = node.host() == null ? null : hosts.byName().get(node.host());
        if (host == null || host.getStatus() == null || host.getStatus().getState() != SwarmNodeState.READY) {
            return;
        }
        Duration limit = Duration.ofNanos(ServiceSpecs.STOP_GRACE_NANOS).plusSeconds(20);
        Poll<Void> stopped = Await.quietly().until(Await.deadline(limit), () -> Poll.unless(
                api.tasks(List.of(node.id())).stream().anyMatch(t -> "running".equals(t.path("Status").path("State").asText()))
                        ? node.name() + " still runs" : null));
        if (!stopped.done()) {
            throw new BackendException("the task of " + node.name() + " on " + node.host() + " did not stop within "
                    + limit.toSeconds() + " s");
        }
    }

    /**
     * Starts a stopped node's service with a task whose start script starts the server at once, without
     * asking the Sentinels, when it can remove {@code marker} (a file put into the node's data volume):
     * the marker's option is added to the start script's command, where it stays and does nothing once
     * the marker is gone.
     */
    void startFirst(Node node, String marker) {
        update(node, "starting", spec -> {
            ContainerSpec container = spec.getTaskTemplate().getContainerSpec();
            List<String> command = new ArrayList<>(container.getCommand());
            int start = command.indexOf(StartScript.PROGRAM_NAME);
            if (start < 0) {
                throw new BackendException(node.name() + " has no start script to start it with a snapshot");
            }
            if (!command.contains(StartScript.FIRST_START)) {
                command.addAll(start + 1, List.of(StartScript.FIRST_START, marker));
            }
            container.withCommand(command);
            spec.withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)));
        });
    }

    /** New configs (or secrets) for the files, the service updated to mount them, and one task running. */
    void startWith(Node node, Map<String, byte[]> files) {
        update(node, "reconfiguring", spec -> specs.reconfigure(node, spec, files));
    }

    /** The service's last log lines (its tasks'), for error messages; empty when they cannot be read. */
    List<String> logs(Node node, int lines) {
        return LogTail.read(tail -> api.client.logServiceCmd(node.id()).withStdout(true).withStderr(true)
                .withTail(lines).exec(tail), lines);
    }
}
