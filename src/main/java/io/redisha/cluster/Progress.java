package io.redisha.cluster;

/** Where the orchestrator reports what it is doing during long work; the CLI prints it, tests may ignore it. */
@FunctionalInterface
public interface Progress {
    Progress SILENT = message -> { };

    void step(String message);
}
