package io.redisha.topology;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
  * Writes new counts into a topology file for {@code redisha scale}. Only the characters of
  * the counts change (or a {@code count:} line or section is added), so comments, order and
  * formatting survive; the node tree's marks say where those characters are.
  */
public final class TopologyFileEditor {

    private static final int DEFAULT_INDENT = 2;

    /** A replacement of text[start, end); an insertion when start == end. */
    private record Edit(int start, int end, String text) {}

    private TopologyFileEditor() {}

    /**
      * Sets {@code replicas.count} and {@code sentinels.count} in {@code file}; null leaves a count
      * as it is. Does not validate the result against the rest of the topology: check the new
      * counts with {@link TopologyLoader#validate(Topology)} first.
      */
    public static void writeCounts(Path file, Integer replicas, Integer sentinels) throws IOException {
        if (replicas == null && sentinels == null) {
            return;
        }
        Path target = file.toRealPath();
        String original = Files.readString(target, StandardCharsets.UTF_8);
        String updated = withCounts(original, replicas, sentinels, file.toString());
        if (!updated.equals(original)) {
            writeAtomically(target, updated);
        }
    }

    /** The text with the counts changed; package-private so tests can check it byte for byte. */
    static String withCounts(String text, Integer replicas, Integer sentinels, String source) throws IOException {
        requireCount("replicas", replicas);
        requireCount("sentinels", sentinels);
        Node root = compose(text, source);
        String newline = text.contains("\r\n") ? "\r\n" : "\n";
        List<Edit> edits = new ArrayList<>();
        List<String[]> missing = new ArrayList<>();
        if (root != null && !YamlDocument.isNull(root) && !(root instanceof MappingNode)) {
            throw new IOException(source + ": cannot set counts: the top level is not a mapping");
        }
        MappingNode top = root instanceof MappingNode mapping ? mapping : null;
        for (String[] section : sections(replicas, sentinels)) {
            NodeTuple tuple = top == null ? null : find(top, section[0]);
            if (tuple == null) {
                missing.add(section);
            } else {
                edits.add(sectionEdit(text, tuple, section[0], section[1], newline, source));
            }
        }
        if (!missing.isEmpty()) {
            edits.add(appendSections(text, root, top, missing, newline, source));
        }
        String updated = apply(text, edits);
        verify(updated, replicas, sentinels, source);
        return updated;
    }

    private static List<String[]> sections(Integer replicas, Integer sentinels) {
        List<String[]> sections = new ArrayList<>();
        if (replicas != null) {
            sections.add(new String[] {"replicas", replicas.toString()});
        }
        if (sentinels != null) {
            sections.add(new String[] {"sentinels", sentinels.toString()});
        }
        return sections;
    }

    private static Edit sectionEdit(String text, NodeTuple tuple, String section, String count, String newline,
            String source) throws IOException {
        Node value = tuple.getValueNode();
        if (value instanceof ScalarNode scalar
                && (Tag.INT.equals(scalar.getTag()) || Tag.NULL.equals(scalar.getTag()))) {
            return replaceScalar(text, tuple.getKeyNode(), scalar, count, section, source);
        }
        if (!(value instanceof MappingNode mapping)) {
            throw new IOException(source + ": cannot set " + section + ".count: " + section
                    + " is neither a count nor a mapping");
        }
        NodeTuple countTuple = find(mapping, "count");
        if (countTuple != null) {
            if (!(countTuple.getValueNode() instanceof ScalarNode scalar)) {
                throw new IOException(source + ": cannot set " + section + ".count: it is not a plain value");
            }
            return replaceScalar(text, countTuple.getKeyNode(), scalar, count, section + ".count", source);
        }
        if (mapping.getFlowStyle() == FlowStyle.FLOW) {
            // {host-ports: [...]} -> {count: N, host-ports: [...]}
            int brace = text.indexOf('{', offset(text, mapping.getStartMark()));
            int at = text.charAt(brace + 1) == ' ' ? brace + 2 : brace + 1;
            return new Edit(at, at, "count: " + count + (mapping.getValue().isEmpty() ? "" : ", "));
        }
        // a new first line of the block, right under the section key (before any comment there)
        int keyLineEnd = text.indexOf('\n', offset(text, tuple.getKeyNode().getEndMark()));
        int firstKeyColumn = mapping.getValue().get(0).getKeyNode().getStartMark().getColumn();
        if (keyLineEnd < 0) {
            throw new IOException(source + ": cannot set " + section + ".count: unexpected layout");
        }
        return new Edit(keyLineEnd + 1, keyLineEnd + 1, " ".repeat(firstKeyColumn) + "count: " + count + newline);
    }

    private static Edit replaceScalar(String text, Node key, ScalarNode scalar, String count, String path,
            String source) throws IOException {
        int start = offset(text, scalar.getStartMark());
        int end = offset(text, scalar.getEndMark());
        if (start < offset(text, key.getEndMark())) {
            // the value is an alias: its marks are those of the anchored node elsewhere in the file
            throw new IOException(source + ": cannot set " + path + ": its value is an alias; edit it by hand");
        }
        if (start == end) {
            return new Edit(start, end, " " + count); // "replicas:" with no value
        }
        String written = text.substring(start, end);
        if (written.startsWith("&") || written.startsWith("!")) {
            // keep an anchor or tag in front of the value: "&n 3" -> "&n 5"
            int lastSpace = Math.max(written.lastIndexOf(' '), written.lastIndexOf('\t'));
            start += lastSpace + 1;
        }
        return new Edit(start, end, count);
    }

    private static Edit appendSections(String text, Node root, MappingNode top, List<String[]> sections,
            String newline, String source) throws IOException {
        if (top != null && top.getFlowStyle() == FlowStyle.FLOW) {
            // {project: x} -> {project: x, replicas: {count: N}}
            StringBuilder insert = new StringBuilder();
            for (String[] section : sections) {
                if (insert.length() > 0 || !top.getValue().isEmpty()) {
                    insert.append(", ");
                }
                insert.append(section[0]).append(": {count: ").append(section[1]).append('}');
            }
            List<NodeTuple> entries = top.getValue();
            int at = entries.isEmpty()
                    ? text.indexOf('{', offset(text, top.getStartMark())) + 1
                    : offset(text, entries.get(entries.size() - 1).getValueNode().getEndMark());
            return new Edit(at, at, insert.toString());
        }
        if (root != null && top == null && offset(text, root.getEndMark()) > offset(text, root.getStartMark())) {
            throw new IOException(source + ": cannot set counts: the file holds a single null value");
        }
        String indent = " ".repeat(top == null ? DEFAULT_INDENT : indentOf(top));
        int at = top == null ? text.length() : offset(text, top.getEndMark());
        StringBuilder insert = new StringBuilder();
        if (at > 0 && text.charAt(at - 1) != '\n') {
            insert.append(newline);
        }
        for (String[] section : sections) {
            insert.append(section[0]).append(':').append(newline)
                    .append(indent).append("count: ").append(section[1]).append(newline);
        }
        return new Edit(at, at, insert.toString());
    }

    /** The indentation the file already uses for nested sections. */
    private static int indentOf(MappingNode top) {
        for (NodeTuple tuple : top.getValue()) {
            if (tuple.getValueNode() instanceof MappingNode nested
                    && nested.getFlowStyle() == FlowStyle.BLOCK && !nested.getValue().isEmpty()) {
                int column = nested.getValue().get(0).getKeyNode().getStartMark().getColumn()
                        - tuple.getKeyNode().getStartMark().getColumn();
                if (column > 0) {
                    return column;
                }
            }
        }
        return DEFAULT_INDENT;
    }

    private static NodeTuple find(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar && key.equals(scalar.getValue())) {
                return tuple;
            }
        }
        return null;
    }

    private static String apply(String text, List<Edit> edits) {
        List<Edit> ordered = new ArrayList<>(edits);
        ordered.sort(Comparator.comparingInt(Edit::start)); // stable: insertions at one point keep their order
        StringBuilder out = new StringBuilder(text.length() + 64);
        int position = 0;
        for (Edit edit : ordered) {
            out.append(text, position, edit.start()).append(edit.text());
            position = edit.end();
        }
        return out.append(text, position, text.length()).toString();
    }

    /** The edited text must read back with the new counts, or nothing is written. */
    private static void verify(String updated, Integer replicas, Integer sentinels, String source) throws IOException {
        Topology topology = TopologyReader.read(compose(updated, source)).topology();
        if ((replicas != null && topology.replicas().count() != replicas)
                || (sentinels != null && topology.sentinels().count() != sentinels)) {
            throw new IOException(source + ": cannot set the counts: the edited file does not read back with them");
        }
    }

    private static Node compose(String text, String source) throws IOException {
        try {
            return YamlDocument.compose(text, source);
        } catch (TopologyException e) {
            throw new IOException("cannot edit " + e.getMessage(), e);
        }
    }

    /** Marks count code points; Java strings count UTF-16 units. */
    private static int offset(String text, Mark mark) {
        return text.offsetByCodePoints(0, Math.min(mark.getIndex(), text.codePointCount(0, text.length())));
    }

    private static void requireCount(String what, Integer count) {
        if (count != null && count < 0) {
            throw new IllegalArgumentException(what + " count must be 0 or more, got " + count);
        }
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = StandardCharsets.UTF_8.encode(content);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the temp file's default permissions will do
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
