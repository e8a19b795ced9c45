package io.redisha.topology;

import java.util.Objects;

/**
  * One thing wrong with a topology.
  *
  * @param path the key it is about, e.g. {@code sentinels.quorum} or {@code replicas.host-ports[0]};
  *     empty for the file as a whole (then the message says where, if it can)
  * @param line 1-based line in the file, or null when unknown (defaults, or a topology built in code)
  */
public record Problem(String path, Integer line, String message) {

    public Problem {
        path = path == null ? "" : path;
        Objects.requireNonNull(message, "message");
    }

    /** {@code sentinels.quorum (line 7): 4 is more than the 3 sentinels}. */
    @Override
    public String toString() {
        if (path.isEmpty()) {
            return message;
        }
        return line == null ? path + ": " + message : path + " (line " + line + "): " + message;
    }
}
