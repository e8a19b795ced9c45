package io.redisha.backend.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.redisha.backend.Node;
import io.redisha.backend.NodeStarts;
import io.redisha.backend.SelfRestart;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The single engine's restart policy on the project's nodes, and what their starts were, from each container's inspect. */
final class EngineRestarts implements SelfRestart {
    private final DockerEngine engine;

    EngineRestarts(DockerEngine engine) {
        this.engine = engine;
    }

    /** Each node looked at first: a node created with the policy costs no change. */
    @Override
    public int restartByItself(List<Node> nodes) {
        return nodes.parallelStream().mapToInt(n -> {
            var policy = engine.inspect(n.id()).getHostConfig().getRestartPolicy();
            if (policy != null && DockerEngine.NODE_RESTART.getName().equals(policy.getName())) {
                return 0;
            }
            engine.restartUnlessStopped(n.id());
            return 1;
        }).sum();
    }

    @Override
    public List<NodeStarts> starts(List<Node> nodes) {
        return nodes.parallelStream().map(n -> {
            InspectContainerResponse inspect = engine.inspect(n.id());
            var state = inspect.getState();
            boolean running = Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getRestarting());
            Instant finished = instant(state.getFinishedAt());
            return new NodeStarts(n.name(), inspect.getRestartCount() == null ? 0 : inspect.getRestartCount(),
                    instant(inspect.getCreated()), instant(state.getStartedAt()),
                    running || finished == null ? null : state.getExitCode(), Boolean.TRUE.equals(state.getOOMKilled()));
        }).toList();
    }

    /** The engine's time, or null for its "never" (year 1) or a value it cannot read. */
    static Instant instant(String engineTime) {
        if (engineTime == null || engineTime.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(engineTime);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
