package io.redisha.topology;

import java.util.List;
import java.util.stream.Collectors;

/** A topology file that cannot be used, with every problem found in it. */
public final class TopologyException extends Exception {

    private final transient List<Problem> problems;
    private final String source;

    public TopologyException(String source, List<Problem> problems) {
        this(source, problems, null);
    }

    public TopologyException(String source, List<Problem> problems, Throwable cause) {
        super(format(source, problems), cause);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a TopologyException needs at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The file name the problems are about, or null when the topology did not come from a file. */
    public String source() {
        return source;
    }

    private static String format(String source, List<Problem> problems) {
        String prefix = source == null ? "" : source + ": ";
        return problems.stream().map(p -> prefix + p).collect(Collectors.joining("\n"));
    }
}
