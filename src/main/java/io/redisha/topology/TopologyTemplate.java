package io.redisha.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The commented topology file {@code redisha init} writes: the documented default file (the
 * repository's {@code topology.yml}, packaged in the jar) with the values chosen on the command line
 * written in place of the defaults, every comment kept. The result is validated as {@code up}
 * validates a file before anyone can use it.
 */
public final class TopologyTemplate {
    private static final String RESOURCE = "/io/redisha/topology/topology.yml";
    /** What YAML reads as the same plain string: anything else is written double-quoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@-]*");

    /**
     * The choices of {@code init}; null keeps the template's value.
     *
     * @param swarm whether the deployment runs on a Docker Swarm ({@code platform: swarm})
     */
    public record Choices(String project, String image, Integer replicas, Integer sentinels, boolean swarm) {
    }

    private TopologyTemplate() {
    }

    /** The documented default file, as packaged. */
    public static String defaults() {
        try (InputStream in = TopologyTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("redisha's jar lacks " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the topology template", e);
        }
    }

    /**
     * The template with the choices written in, checked as {@code up} checks a file.
     *
     * @param source the name problems are reported against (the file about to be written)
     * @throws TopologyException when the result is not a valid topology (a bad image name, a count
     *                           below the quorum...), naming the key at fault
     */
    public static String render(Choices choices, String source) throws TopologyException {
        String text = defaults();
        Map<String, String> scalars = new LinkedHashMap<>();
        if (choices.project() != null) {
            scalars.put("project", yamlString(choices.project()));
        }
        if (choices.image() != null) {
            scalars.put("image", yamlString(choices.image()));
        }
        if (choices.swarm()) {
            scalars.put("platform", "swarm");
        }
        if (choices.replicas() != null) {
            scalars.put("replicas.count", choices.replicas().toString());
        }
        if (choices.sentinels() != null) {
            scalars.put("sentinels.count", choices.sentinels().toString());
            // a majority of the Sentinels must agree that the master is down: 1 of 1, 2 of 3, 3 of 5
            scalars.put("sentinels.quorum", Integer.toString(Math.max(1, choices.sentinels() / 2 + 1)));
        }
        text = replace(text, scalars, source);
        if (!scalars.isEmpty()) {
            text = "# Written by redisha init; set from its command line: " + String.join(", ", scalars.keySet())
                    + ".\n" + text;
        }
        TopologyLoader.parse(text, source);
        return text;
    }

    private static String yamlString(String value) {
        if (PLAIN.matcher(value).matches() && !value.endsWith(":")) {
            return value;
        }
        StringBuilder quoted = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
            } else if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format("\\x%02x", c));
            } else {
                quoted.appendCodePoint(c);
            }
        });
        return quoted.append('"').toString();
    }

    /** Replaces the values of keys ("project", "sentinels.quorum") in place; only their characters change. */
    private static String replace(String text, Map<String, String> values, String source) throws TopologyException {
        if (values.isEmpty()) {
            return text;
        }
        Node root = YamlDocument.compose(text, source);
        if (!(root instanceof MappingNode top)) {
            throw new IllegalStateException("the topology template is not a mapping");
        }
        record Edit(int start, int end, String value) {
        }
        List<Edit> edits = new ArrayList<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            Node value = find(top, entry.getKey().split("\\."));
            if (value instanceof ScalarNode scalar) {
                edits.add(new Edit(offset(text, scalar.getStartMark()), offset(text, scalar.getEndMark()), entry.getValue()));
            }
        }
        if (edits.size() != values.size()) {
            throw new IllegalStateException("the topology template lacks one of " + values.keySet());
        }
        edits.sort(Comparator.comparingInt(Edit::start).reversed());
        StringBuilder out = new StringBuilder(text);
        for (Edit edit : edits) {
            out.replace(edit.start(), edit.end(), edit.value());
        }
        return out.toString();
    }

    private static Node find(Node node, String[] path) {
        Node current = node;
        for (String key : path) {
            if (!(current instanceof MappingNode mapping)) {
                return null;
            }
            current = mapping.getValue().stream()
                    .filter(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key))
                    .map(NodeTuple::getValueNode).findFirst().orElse(null);
        }
        return current;
    }

    private static int offset(String text, Mark mark) {
        return text.offsetByCodePoints(0, Math.min(mark.getIndex(), text.codePointCount(0, text.length())));
    }
}
