package io.redisha;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Relative links and anchors of the Markdown files under a directory, checked as GitHub renders
 * them: a link's file must exist, and its anchor must be a heading of that file.
 */
final class MarkdownLinks {
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern INLINE_LINK = Pattern.compile("!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules");

    private final Path root;
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    private MarkdownLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The Markdown files under root, outside build output and version control, sorted. */
    static List<Path> files(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
                    .filter(p -> root.relativize(p).getNameCount() == 1
                            || !SKIPPED_DIRECTORIES.contains(root.relativize(p).getName(0).toString()))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every broken relative link or anchor under root, one line each: {@code FILE:LINE: TARGET: why}. */
    static List<String> problems(Path root) {
        MarkdownLinks links = new MarkdownLinks(root);
        List<String> problems = new ArrayList<>();
        for (Path file : files(links.root)) {
            links.check(file, problems);
        }
        return problems;
    }

    private void check(Path file, List<String> problems) {
        List<String> lines = read(file);
        String name = root.relativize(file).toString();
        boolean[] prose = outsideFences(lines);
        for (int i = 0; i < lines.size(); i++) {
            if (!prose[i]) {
                continue;
            }
            String line = lines.get(i);
            String text = CODE_SPAN.matcher(line).replaceAll("code");
            List<String> targets = new ArrayList<>();
            Matcher link = INLINE_LINK.matcher(text);
            while (link.find()) {
                targets.add(link.group(2));
            }
            Matcher definition = REFERENCE_DEFINITION.matcher(text);
            if (definition.matches()) {
                targets.add(definition.group(1));
            }
            for (String target : targets) {
                String why = brokenBecause(file, target);
                if (why != null) {
                    problems.add(name + ":" + (i + 1) + ": " + target + ": " + why);
                }
            }
        }
    }

    /** Why the target cannot be followed from file, or null when it can (or is not relative). */
    private String brokenBecause(Path file, String target) {
        if (target.isEmpty()) {
            return "empty link";
        }
        if (SCHEME.matcher(target).find() || target.startsWith("//")) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved;
        if (path.isEmpty()) {
            resolved = file;
        } else if (path.startsWith("/")) {
            resolved = root.resolve(path.substring(1)).normalize();
        } else {
            resolved = file.getParent().resolve(path).normalize();
        }
        if (!resolved.startsWith(root)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file " + root.relativize(resolved);
        }
        if (anchor == null || !resolved.toString().endsWith(".md")) {
            return null;
        }
        if (anchor.isEmpty()) {
            return "empty anchor";
        }
        String wanted = URLDecoder.decode(anchor, StandardCharsets.UTF_8);
        if (!anchors(resolved).contains(wanted)) {
            return "no heading with anchor #" + wanted + " in " + root.relativize(resolved);
        }
        return null;
    }

    private Set<String> anchors(Path file) {
        return anchors.computeIfAbsent(file, f -> anchorsOf(read(f)));
    }

    /** Which lines are prose: not inside a fenced code block, nor one of its fences. */
    static boolean[] outsideFences(List<String> lines) {
        boolean[] prose = new boolean[lines.size()];
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher f = FENCE.matcher(line);
            boolean isFence = f.find();
            if (fence == null) {
                if (isFence) {
                    fence = f.group(1);
                } else {
                    prose[i] = true;
                }
            } else if (isFence && f.group(1).charAt(0) == fence.charAt(0) && f.group(1).length() >= fence.length()
                    && line.trim().equals(f.group(1))) {
                fence = null;
            }
        }
        return prose;
    }

    /** The anchors GitHub gives the headings of a Markdown text (and explicit HTML anchors). */
    static Set<String> anchorsOf(List<String> lines) {
        Set<String> result = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean[] prose = outsideFences(lines);
        for (int i = 0; i < lines.size(); i++) {
            if (!prose[i]) {
                continue;
            }
            String line = lines.get(i);
            Matcher html = HTML_ANCHOR.matcher(line);
            while (html.find()) {
                result.add(html.group(1));
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(2));
                int count = seen.merge(slug, 1, Integer::sum);
                result.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
        }
        return result;
    }

    /**
     * GitHub's anchor for a heading: its rendered text in lower case, punctuation dropped (letters,
     * digits, spaces, hyphens and underscores stay), each space a hyphen.
     */
    static String slug(String heading) {
        String text = INLINE_LINK.matcher(heading).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        text = text.replace("`", "").replace("*", "");
        StringBuilder slug = new StringBuilder();
        text.toLowerCase(java.util.Locale.ROOT).codePoints().forEach(c -> {
            if (c == ' ') {
                slug.append('-');
            } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            }
        });
        return slug.toString();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
