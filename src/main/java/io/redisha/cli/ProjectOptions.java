package io.redisha.cli;

import io.redisha.topology.LoadedTopology;
import io.redisha.topology.Topology;
import io.redisha.topology.TopologyException;
import io.redisha.topology.TopologyLoader;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** -f FILE: the topology file. Without -f, ./topology.yml, or the built-in defaults when there is none. */
public class ProjectOptions {
    static final Path DEFAULT_FILE = Path.of("topology.yml");

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Topology file (default: ./topology.yml, else built-in defaults).")
    Path file;

    /** For a command whose -f means something else (logs -f follows, as compose's): the file from --file. */
    static ProjectOptions of(Path file) {
        ProjectOptions options = new ProjectOptions();
        options.file = file;
        return options;
    }

    /** Loads the topology and prints its warnings. */
    LoadedTopology load(PrintWriter err) {
        LoadedTopology loaded = load();
        for (String warning : loaded.warnings()) {
            err.println("warning: " + warning);
        }
        err.flush();
        return loaded;
    }

    /** Loads the topology without printing its warnings; its file is null for the built-in defaults. */
    LoadedTopology load() {
        Path chosen = file != null ? file : (Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null);
        try {
            return chosen == null ? new LoadedTopology(Topology.defaults(), TopologyLoader.warnings(Topology.defaults()), null)
                    : TopologyLoader.load(chosen);
        } catch (TopologyException e) {
            throw new UserException(ExitCodes.INVALID_TOPOLOGY, e.getMessage(), e);
        }
    }
}
