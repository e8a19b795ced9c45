package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.NodeStarts;
import io.redisha.backend.NodeState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Judges the nodes' starts: a node the engine started again lately is worth a look (its process
 * died, or the engine or host restarted), one it keeps starting is in a crash loop. Neither
 * makes the deployment not ready by itself; what the restart left behind does.
 */
final class RestartWatch {
    /** A start this recent is reported. */
    static final Duration RECENT = Duration.ofMinutes(10);
    /** This many restarts by the engine within {@link #RECENT} is a crash loop (the engine keeps no longer history). */
    static final int LOOP_RESTARTS = 3;
    /** A start this long after the node's creation was not its first. */
    private static final Duration FIRST_START = Duration.ofSeconds(30);

    private RestartWatch() {
    }

    record Judged(List<NodeStart> starts, List<String> warnings) {
    }

    static Judged judge(List<NodeStarts> starts, List<Node> nodes, Instant now) {
        Map<String, Node> byName = nodes.stream().collect(Collectors.toMap(Node::name, Function.identity(), (a, b) -> a));
        List<NodeStart> judged = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (NodeStarts s : starts) {
            Node node = byName.get(s.name());
            NodeState state = node == null ? NodeState.UNKNOWN : node.state();
            Long ago = s.lastStart() == null ? null : Math.max(0, Duration.between(s.lastStart(), now).toSeconds());
            boolean recent = ago != null && ago < RECENT.toSeconds();
            boolean loop = state == NodeState.RESTARTING || (recent && s.restarts() >= LOOP_RESTARTS);
            judged.add(new NodeStart(s.name(), s.restarts(), s.lastStart() == null ? null : s.lastStart().toString(),
                    ago, s.lastExit(), s.oomKilled(), loop));
            String exit = exitText(s);
            if (loop) {
                warnings.add(s.name() + " keeps restarting (crash loop): restarted " + s.restarts()
                        + " times by the engine" + (ago == null ? "" : ", last start " + NodeStart.ago(ago) + " ago") + exit
                        + "; see redisha logs " + s.name());
            } else if (recent && (s.restarts() > 0 || startedAgain(s))) {
                warnings.add(s.name() + " started again " + NodeStart.ago(ago) + " ago"
                        + (s.restarts() > 0 ? " (restarted " + s.restarts() + " time" + (s.restarts() == 1 ? "" : "s")
                        + " by the engine after its process ended)" : " (started after it was created: up, a fault undone, or the engine's own restart)"));
            } else if (!exit.isEmpty() && state != NodeState.RUNNING && state != NodeState.PAUSED) {
                warnings.add(s.name() + " is " + state.label() + exit);
            }
        }
        return new Judged(List.copyOf(judged), List.copyOf(warnings));
    }

    private static boolean startedAgain(NodeStarts s) {
        return s.created() != null && s.lastStart() != null
                && Duration.between(s.created(), s.lastStart()).compareTo(FIRST_START) > 0;
    }

    private static String exitText(NodeStarts s) {
        if (s.oomKilled()) {
            return ", its last process ended by the out-of-memory killer (resources.memory)";
        }
        return s.lastExit() == null || s.lastExit() == 0 ? "" : ", its last process exited with code " + s.lastExit();
    }
}
