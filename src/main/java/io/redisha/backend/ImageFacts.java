package io.redisha.backend;

import java.util.List;
import java.util.Map;

/**
 * What an image says about itself without being run: its default command and entrypoint, its
 * environment and labels.
 */
public record ImageFacts(List<String> cmd, List<String> entrypoint, Map<String, String> env,
                         Map<String, String> labels) {

    public ImageFacts {
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        env = env == null ? Map.of() : Map.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
