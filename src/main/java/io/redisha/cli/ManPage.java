package io.redisha.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One command's manual page in man(7) markup, written from its picocli model: the same synopsis,
 * options and exit codes as its --help. (picocli-codegen's ManPageGenerator writes AsciiDoc, which
 * would need Asciidoctor in the build to become a page that man reads.)
 */
final class ManPage {
    private ManPage() {
    }

    /** The page's file name: redisha.1, redisha-up.1. */
    static String fileName(CommandSpec spec) {
        return pageName(spec) + ".1";
    }

    private static String pageName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    /**
     * @param version what the page's footer names, "redisha 0.1.0"
     * @param date    the page's date, "2026-12-07"
     */
    static String render(CommandSpec spec, String version, String date) {
        StringBuilder page = new StringBuilder();
        String name = pageName(spec);
        page.append(".TH \"").append(name.toUpperCase(java.util.Locale.ROOT)).append("\" 1 \"").append(date)
                .append("\" \"").append(escape(version)).append("\" \"redisha manual\"\n");
        page.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(firstSentence(spec))).append('\n');

        page.append(".SH SYNOPSIS\n.nf\n");
        String synopsis = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF)).synopsis(0).stripTrailing();
        synopsis.lines().forEach(line -> page.append(escape(line)).append('\n'));
        page.append(".fi\n");

        page.append(".SH DESCRIPTION\n").append(paragraphs(spec.usageMessage().description()));

        List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!positionals.isEmpty()) {
            page.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : positionals) {
                page.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n").append(description(p));
            }
        }
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (!options.isEmpty()) {
            page.append(".SH OPTIONS\n");
            for (OptionSpec o : options) {
                page.append(".TP\n").append(optionLabel(o)).append('\n').append(description(o));
            }
        }
        Map<String, CommandLine> subcommands = spec.subcommands();
        if (!subcommands.isEmpty()) {
            page.append(".SH COMMANDS\n");
            subcommands.forEach((sub, line) -> page.append(".TP\n\\fB").append(escape(sub)).append("\\fR\n")
                    .append(escape(firstSentence(line.getCommandSpec()))).append(" See \\fB\\%")
                    .append(escape(pageName(line.getCommandSpec()))).append("\\fR(1).\n"));
        }
        Map<String, String> exitCodes = spec.usageMessage().exitCodeList();
        if (!exitCodes.isEmpty()) {
            page.append(".SH EXIT STATUS\n");
            exitCodes.forEach((code, meaning) -> page.append(".TP\n\\fB").append(escape(code.strip())).append("\\fR\n")
                    .append(escape(meaning)).append('\n'));
        }
        page.append(".SH SEE ALSO\n");
        CommandSpec root = spec.root();
        // \% keeps a page name from being hyphenated at a line's end
        page.append(root == spec ? "" : "\\fB\\%" + escape(pageName(root)) + "\\fR(1), ")
                .append("the documentation at docs/ in the redisha repository.\n");
        return page.toString();
    }

    private static String optionLabel(OptionSpec o) {
        String names = o.names().length == 0 ? "" : java.util.Arrays.stream(o.names())
                .map(n -> "\\fB" + escape(n) + "\\fR").collect(Collectors.joining(", "));
        return o.arity().max() > 0 ? names + " \\fI" + escape(o.paramLabel()) + "\\fR" : names;
    }

    private static String description(ArgSpec arg) {
        return escape(String.join(" ", arg.renderedDescription()).strip()) + "\n";
    }

    private static String paragraphs(String[] lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            for (String paragraph : line.split("%n%n|\\R\\R")) {
                if (!text.isEmpty()) {
                    text.append(".PP\n");
                }
                text.append(escape(paragraph.replace("%n", " ").strip())).append('\n');
            }
        }
        return text.toString();
    }

    private static String firstSentence(CommandSpec spec) {
        String[] description = spec.usageMessage().description();
        String text = description.length == 0 ? spec.name() : description[0].replace("%n", " ").strip();
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }

    /**
     * Text as man(7) prints it literally: a backslash is the escape character, a hyphen is
     * {@code \-} (so that an option can be copied and searched), and a line starting with a dot or
     * an apostrophe would be a request.
     */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.lines().map(line -> line.startsWith(".") || line.startsWith("'") ? "\\&" + line : line)
                .collect(Collectors.joining("\n"));
    }
}
