package io.redisha.cluster;

/** Where the orchestrator reports what it is doing during long work; the CLI prints it, tests may ignore it. */
@FunctionalInterface
public interface Progress {
    void step(String message);
}
