package io.redisha.sentinel;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration template with {{name}} placeholders; every placeholder must have a value. A list
 * value renders as one line per element (for optional directives); no value may contain a line
 * break, so a value can never smuggle in a directive of its own.
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    private final String name;
    private final String text;

    public Template(String name, String text) {
        this.name = name;
        this.text = text;
    }

    public String render(Map<String, ?> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(name + ": no value for {{" + m.group(1) + "}}");
            }
            List<?> lines = value instanceof List<?> list ? list : List.of(value);
            for (Object line : lines) {
                String s = line.toString();
                if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException(name + ": value of {{" + m.group(1) + "}} spans lines");
                }
            }
            String rendered = lines.stream().map(Object::toString).collect(Collectors.joining("\n"));
            m.appendReplacement(out, Matcher.quoteReplacement(rendered));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A value as a Redis configuration argument: double-quoted, with backslash, quote and every
     * non-printable byte escaped, so that any password survives Redis' config parser intact.
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c < 0x20 || c >= 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.append((char) c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * A configuration argument as Redis reads it (the reverse of {@link #quote}, and of what Redis and
     * Sentinel write when they rewrite their files): double-quoted with {@code \\xHH}, {@code \\n},
     * {@code \\r}, {@code \\t}, {@code \\b}, {@code \\a} and backslash escapes, single-quoted, or bare.
     */
    public static String unquote(String argument) {
        String v = argument.strip();
        if (v.length() < 2 || (v.charAt(0) != '"' && v.charAt(0) != '\'')) {
            return v;
        }
        char q = v.charAt(0);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] bytes = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 1; i < bytes.length - 1; i++) {
            int c = bytes[i];
            if (c == '\\' && i + 1 < bytes.length - 1) {
                int n = bytes[++i];
                if (q == '"' && n == 'x' && i + 2 < bytes.length - 1) {
                    c = Integer.parseInt(new String(bytes, i + 1, 2, java.nio.charset.StandardCharsets.US_ASCII), 16);
                    i += 2;
                } else if (q == '"') {
                    c = switch (n) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        case 'b' -> '\b';
                        case 'a' -> 7;
                        default -> n;
                    };
                } else {
                    c = n == '\'' ? '\'' : '\\';
                    if (n != '\'') {
                        out.write(c);
                        c = n;
                    }
                }
            }
            out.write(c);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
