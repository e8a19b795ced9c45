package io.redisha.cli;

import picocli.CommandLine.Option;

/** --output text|json. */
public class OutputOption {
    enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.text;

    boolean json() {
        return format == Format.json;
    }
}
