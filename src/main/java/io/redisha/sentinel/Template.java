package io.redisha.sentinel;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A configuration template with {{name}} placeholders; every placeholder must have a value. */
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
            String s = value.toString();
            if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(name + ": value of {{" + m.group(1) + "}} spans lines");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(s));
        }
        m.appendTail(out);
        return out.toString();
    }
}
