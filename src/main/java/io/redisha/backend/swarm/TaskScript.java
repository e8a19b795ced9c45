package io.redisha.backend.swarm;

import io.redisha.backend.ShellScript;

import java.util.ArrayList;
import java.util.List;

/**
 * The command of a Swarm task: the POSIX sh program {@code task.sh} (a resource beside this class)
 * copies the node's files from their Swarm configs and secrets into place, then execs the rest:
 * the Redis node's start script ({@link io.redisha.backend.StartScript}) or directly the image's
 * entrypoint, and the node's command.
 */
final class TaskScript {
    static final String TEXT = ShellScript.load("swarm/task.sh");

    private final List<String> command = new ArrayList<>(List.of("sh", "-c", TEXT, "redisha-task"));

    /** Copies {@code mounted} to {@code target} at start when the object {@code id} is not the one {@code marker} recorded. */
    void apply(String mounted, String target, String marker, String id) {
        command.addAll(List.of(mounted, target, marker, id));
    }

    /** The whole command: the files applied, then {@code then} exec'd. */
    List<String> then(List<String> then) {
        List<String> all = new ArrayList<>(command);
        all.add("--");
        all.addAll(then);
        return all;
    }

    /**
     * The node's own command at the end of a task's command, after the image's entrypoint: what
     * follows the last {@code --} (the task script's, or the start script's), or, in a task made by
     * an older redisha ({@code sh -c SCRIPT redisha-start ENTRYPOINT... CMD...}), what follows {@code $0}.
     */
    static List<String> nodeCommand(List<String> taskCommand, int entrypointSize) {
        int end = taskCommand.lastIndexOf("--");
        int from = (end < 0 ? 4 : end + 1) + entrypointSize;
        return taskCommand.subList(from, taskCommand.size());
    }
}
