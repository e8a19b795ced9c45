package io.redisha.topology;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
  * Turns topology text into SnakeYAML's node tree, which keeps the line of every key and value.
  * Composing never instantiates anything, so tags are only names here; the reader refuses
  * every tag that is not a plain YAML type.
  */
final class YamlDocument {

    static final int MAX_BYTES = 1024 * 1024;
    static final int MAX_CODE_POINTS = 1_000_000;
    static final int MAX_ALIASES_FOR_COLLECTIONS = 10;
    static final int MAX_NESTING_DEPTH = 20;
    static final int MAX_ENTRIES = 200;
    static final int MAX_STRING_LENGTH = 4096;
    /** Limit problems shown for one file: a hostile one could otherwise produce thousands. */
    static final int MAX_LIMIT_PROBLEMS = 20;

    private static final String GLOBAL_TAG_REFUSED = "Global tag is not allowed:";

    private static final Set<Tag> PLAIN_TAGS = Set.of(
            Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ,
            Tag.TIMESTAMP, Tag.BINARY, Tag.SET, Tag.OMAP, Tag.PAIRS, Tag.MERGE);

    private YamlDocument() {}

    static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        return options;
    }

    /** Null when the text holds no document (empty, or only comments). */
    static Node compose(String text, String source) throws TopologyException {
        Problem tooLarge = sizeProblem(text);
        if (tooLarge != null) {
            throw new TopologyException(source, List.of(tooLarge));
        }
        LoaderOptions options = options();
        try {
            Composer composer = new Composer(
                    new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options);
            return composer.getSingleNode();
        } catch (MarkedYAMLException e) {
            throw new TopologyException(source, List.of(syntaxProblem(e)), e);
        } catch (YAMLException e) {
            throw new TopologyException(source, List.of(new Problem("", null, unreadable(e))), e);
        }
    }

    /**
      * What no topology needs and a hostile file could use to flood the reader or the terminal:
      * mappings or lists of more than {@value #MAX_ENTRIES} entries, strings (keys included) of more
      * than {@value #MAX_STRING_LENGTH} characters. Throws with the first few found.
      */
    static void checkLimits(Node root, String source) throws TopologyException {
        List<Problem> problems = new ArrayList<>();
        if (root != null) {
            limits(root, "", line(root), problems, Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        if (!problems.isEmpty()) {
            throw new TopologyException(source, problems.size() > MAX_LIMIT_PROBLEMS
                    ? List.copyOf(problems.subList(0, MAX_LIMIT_PROBLEMS)) : problems);
        }
    }

    /** {@code line} is where to report {@code node}: the line of its key, for a value. */
    private static void limits(Node node, String path, int line, List<Problem> problems, Set<Node> seen) {
        if (!seen.add(node) || problems.size() > MAX_LIMIT_PROBLEMS) {
            return; // an alias visits its anchored node again: once is enough
        }
        if (node instanceof ScalarNode scalar) {
            int length = scalar.getValue().length();
            if (length > MAX_STRING_LENGTH) {
                problems.add(limitProblem(path, line, "is", length + " characters long, over the limit of "
                        + MAX_STRING_LENGTH + " for a string"));
            }
        } else if (node instanceof MappingNode mapping) {
            List<NodeTuple> tuples = mapping.getValue();
            if (tuples.size() > MAX_ENTRIES) {
                problems.add(limitProblem(path, line, "has", tuples.size() + " keys, over the limit of " + MAX_ENTRIES
                        + " for a mapping"));
                return;
            }
            for (NodeTuple tuple : tuples) {
                Node key = tuple.getKeyNode();
                if (key instanceof ScalarNode scalar && scalar.getValue().length() > MAX_STRING_LENGTH) {
                    problems.add(limitProblem(path, line(key), "has", "a key of " + scalar.getValue().length()
                            + " characters, over the limit of " + MAX_STRING_LENGTH + " for a string"));
                    continue;
                }
                limits(key, path, line(key), problems, seen);
                String name = key instanceof ScalarNode scalar ? pathKey(scalar.getValue()) : "?";
                limits(tuple.getValueNode(), path.isEmpty() ? name : path + "." + name, line(key), problems, seen);
            }
        } else if (node instanceof SequenceNode sequence) {
            List<Node> items = sequence.getValue();
            if (items.size() > MAX_ENTRIES) {
                problems.add(limitProblem(path, line, "has", items.size() + " entries, over the limit of " + MAX_ENTRIES
                        + " for a list"));
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                limits(items.get(i), path + "[" + i + "]", line(items.get(i)), problems, seen);
            }
        }
    }

    /** {@code sentinels (line 2): has 201 keys, ...}; at the top level {@code the top level has ..., at line 1}. */
    private static Problem limitProblem(String path, int line, String verb, String what) {
        return path.isEmpty()
                ? new Problem("", line, "the top level " + verb + " " + what + ", at line " + line)
                : new Problem(path, line, verb + " " + what);
    }

    /** A key as it may appear in a path: quoted when it could disturb a terminal or a log line. */
    static String pathKey(String key) {
        boolean plain = !key.isEmpty() && key.length() <= 60
                && key.codePoints().noneMatch(c -> isUnsafe(c) || c == ' ' || c == '"');
        return plain ? key : quote(key);
    }

    static Problem sizeProblem(String text) {
        if (text.length() > MAX_BYTES) {
            // every char is at least one UTF-8 byte: no need to encode a huge string to know
            return tooLarge("more than " + MAX_BYTES + " bytes");
        }
        if (text.length() > MAX_BYTES / 3) {
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_BYTES) {
                return tooLarge(bytes + " bytes");
            }
        }
        return null;
    }

    static Problem tooLarge(String size) {
        return new Problem("", null,
                "the file is " + size + ", over the 1 MiB limit for a topology file; not parsed");
    }

    private static Problem syntaxProblem(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String what = e.getProblem() != null ? e.getProblem() : e.getContext();
        if (e.getContext() != null && e.getProblem() != null && e.getContext().startsWith("expected")) {
            what = e.getContext() + " " + e.getProblem(); // "expected a single document in the stream but found another document"
        }
        if (what == null) {
            what = e.getMessage().lines().findFirst().orElse("unreadable YAML");
        }
        what = escapeUnsafe(what);
        if (mark == null) {
            return new Problem("", null, "YAML syntax error: " + what);
        }
        int line = mark.getLine() + 1;
        String where = "line " + line + ", column " + (mark.getColumn() + 1);
        if (what.startsWith(GLOBAL_TAG_REFUSED)) {
            // SnakeYAML's TagInspector refuses class tags while composing, before any is looked up
            String tag = what.substring(GLOBAL_TAG_REFUSED.length()).trim();
            tag = tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
            return new Problem("", line, "unsupported YAML tag " + tag + " at " + where + ": custom tags are not allowed");
        }
        return new Problem("", line, "YAML syntax error at " + where + ": " + what);
    }

    private static String unreadable(YAMLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Number of aliases")) {
            return "more than " + MAX_ALIASES_FOR_COLLECTIONS
                    + " aliases to lists or mappings; refusing what looks like an alias bomb (billion laughs)";
        }
        if (message.startsWith("Nesting Depth exceeded")) {
            return "the YAML is nested more than " + MAX_NESTING_DEPTH + " levels deep";
        }
        if (message.startsWith("The incoming YAML document exceeds the limit")) {
            return "the file has more than " + MAX_CODE_POINTS + " characters; not parsed";
        }
        return "unreadable YAML: " + escapeUnsafe(message);
    }

    static boolean isPlainTag(Node node) {
        return PLAIN_TAGS.contains(node.getTag());
    }

    /** {@code !!javax.script.ScriptEngineManager} rather than the full tag URI. */
    static String shortTag(Node node) {
        String tag = node.getTag().getValue();
        return tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
    }

    static boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode && Tag.NULL.equals(node.getTag()));
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /** How a value reads in a type error: {@code string "3"}, {@code float 2.5}, {@code a list}. */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        String value = ((ScalarNode) node).getValue();
        Tag tag = node.getTag();
        if (Tag.STR.equals(tag)) {
            return "string " + quote(value);
        }
        if (Tag.INT.equals(tag)) {
            return "integer " + value;
        }
        if (Tag.FLOAT.equals(tag)) {
            return "float " + value;
        }
        if (Tag.BOOL.equals(tag)) {
            return "boolean " + value;
        }
        if (Tag.NULL.equals(tag)) {
            return "null";
        }
        if (Tag.TIMESTAMP.equals(tag)) {
            return "timestamp " + value;
        }
        return shortTag(node) + " " + quote(value);
    }

    /** How the type of a value reads without its value: {@code an integer}, {@code a list}. */
    static String describeType(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Tag tag = node.getTag();
        if (Tag.STR.equals(tag)) {
            return "a string";
        }
        if (Tag.INT.equals(tag)) {
            return "an integer";
        }
        if (Tag.FLOAT.equals(tag)) {
            return "a float";
        }
        if (Tag.BOOL.equals(tag)) {
            return "a boolean";
        }
        if (Tag.NULL.equals(tag)) {
            return "null";
        }
        if (Tag.TIMESTAMP.equals(tag)) {
            return "a timestamp";
        }
        return "a " + shortTag(node) + " value";
    }

    static String quote(String value) {
        String shown = value.codePointCount(0, value.length()) > 60
                ? value.substring(0, value.offsetByCodePoints(0, 57)) + "..." : value;
        StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (isUnsafe(c)) {
                out.append(escape(c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    /** Control characters (terminal escapes) and invisible format characters such as bidi overrides. */
    static boolean isUnsafe(int c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || c == '\u2028' || c == '\u2029';
    }

    private static String escapeUnsafe(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(isUnsafe(c) ? escape(c) : Character.toString(c)));
        return out.toString();
    }

    private static String escape(int c) {
        return c <= 0xFFFF ? String.format("\\u%04x", c) : String.format("\\U%08x", c);
    }
}
