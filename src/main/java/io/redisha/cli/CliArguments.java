package io.redisha.cli;

import io.redisha.cluster.NodeSelector;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code redisha cli [NODE] [COMMAND [ARG...]]}: the first word is the node when it has the form of a
 * node's name (master, master-1, replica-2, sentinel-3, a container of the project), else the
 * command begins there.
 *
 * @param node    the node's name, or null for the default
 * @param command the command and its arguments; empty for the prompt
 */
record CliArguments(String node, List<String> command) {
    /** Commands that go on sending replies until the connection closes. */
    private static final Set<String> STREAMING = Set.of("subscribe", "psubscribe", "ssubscribe", "monitor");

    static CliArguments parse(List<String> words, String project) {
        if (!words.isEmpty() && NodeSelector.looksLikeNode(words.get(0), project)) {
            return new CliArguments(words.get(0), List.copyOf(words.subList(1, words.size())));
        }
        return new CliArguments(null, List.copyOf(words));
    }

    /** A SENTINEL command without a node goes to a Sentinel rather than the master. */
    boolean forSentinel() {
        return !command.isEmpty() && "sentinel".equalsIgnoreCase(command.get(0));
    }

    static boolean streams(List<String> command) {
        return !command.isEmpty() && STREAMING.contains(command.get(0).toLowerCase(Locale.ROOT));
    }
}
