package io.redisha.topology;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
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
    return "unreadable YAML: " + message;
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

  static String quote(String value) {
    String shown = value.length() > 60 ? value.substring(0, 57) + "..." : value;
    StringBuilder out = new StringBuilder("\"");
    shown.codePoints().forEach(c -> {
      if (c == '"' || c == '\\') {
        out.append('\\').appendCodePoint(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.append('"').toString();
  }
}
