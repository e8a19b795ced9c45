package io.redisha.topology;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
  * A valid topology and what is risky about it.
  *
  * @param file where it was read from, or null for defaults or text parsed in memory
  */
public record LoadedTopology(Topology topology, List<String> warnings, Path file) {

    public LoadedTopology {
        Objects.requireNonNull(topology, "topology");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
