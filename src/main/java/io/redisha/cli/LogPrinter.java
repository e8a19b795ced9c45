package io.redisha.cli;

import io.redisha.backend.Node;
import io.redisha.cluster.NodeSelector;
import io.redisha.report.Json;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Prints log lines as they arrive from several nodes at once: {@code replica-2  | line}, the names
 * padded to one width as compose does, or one JSON object per line. Whole lines only, flushed each.
 */
final class LogPrinter {
    private final PrintWriter out;
    private final boolean json;
    private final int width;

    LogPrinter(PrintWriter out, List<Node> nodes, boolean json) {
        this.out = out;
        this.json = json;
        this.width = nodes.stream().mapToInt(n -> NodeSelector.shortName(n).length()).max().orElse(0);
    }

    Consumer<String> to(Node node) {
        String name = NodeSelector.shortName(node);
        return line -> {
            String text = json ? Json.line(record(name, node.name(), line)) : format(name, width, line);
            synchronized (out) {
                out.println(text);
                out.flush();
            }
        };
    }

    private static Map<String, String> record(String node, String container, String line) {
        Map<String, String> record = new LinkedHashMap<>();
        record.put("node", node);
        record.put("container", container);
        record.put("line", line);
        return record;
    }

    /** {@code name} padded to {@code width}, a bar, the line. */
    static String format(String name, int width, String line) {
        return String.format("%-" + Math.max(width, 1) + "s | %s", name, line);
    }
}
