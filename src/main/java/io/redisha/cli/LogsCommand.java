package io.redisha.cli;

import io.redisha.backend.LogStream;
import io.redisha.backend.Node;
import io.redisha.cluster.NoSuchNodeException;
import io.redisha.cluster.NodeSelector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Show the logs of the project's nodes, each line prefixed with its node's name, as compose does.",
                "NODE is master-1, replica-2, sentinel-3 (as status shows them), a container name, master (the node "
                        + "the Sentinels name master now), sentinels or replicas; all nodes when none is given. "
                        + "With -f, new lines are shown as they come until Ctrl-C (or every node stopped)."})
public class LogsCommand implements Callable<Integer> {
    /** Reading a log that is not followed ends within this, or something is wrong with the engine. */
    private static final Duration READ_LIMIT = Duration.ofMinutes(2);

    @Spec
    CommandSpec spec;
    @Option(names = "--file", paramLabel = "FILE",
            description = "Topology file (default: ./topology.yml, else built-in defaults). -f is --follow here, as in compose.")
    Path file;
    @Mixin
    OutputOption output;
    @Mixin
    LoggingMixin logging;
    @Option(names = {"-f", "--follow"}, description = "Keep showing new lines until Ctrl-C.")
    boolean follow;
    @Option(names = "--tail", paramLabel = "N", defaultValue = "all",
            description = "Show only the last N lines of each node's log, then follow (default: ${DEFAULT-VALUE}).")
    String tail;
    @Parameters(paramLabel = "NODE", arity = "0..*", description = "Nodes to show (default: all).")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        int lines = tailLines();
        PrintWriter out = spec.commandLine().getOut();
        try (Session session = Session.open(ProjectOptions.of(file), spec.commandLine().getErr())) {
            session.requireDeployed();
            List<Node> nodes;
            try {
                nodes = NodeSelector.of(session.cluster.refresh(), session.cluster.redis()).select(names);
            } catch (NoSuchNodeException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            LogPrinter printer = new LogPrinter(out, nodes, output.json());
            if (!follow) {
                // one node after the other: each node's lines together, in the order of the nodes
                for (Node node : nodes) {
                    try (LogStream stream = session.backend.streamLogs(node, lines, false, printer.to(node))) {
                        if (!stream.await(READ_LIMIT)) {
                            throw new UserException(ExitCodes.DOCKER, "reading the log of " + node.name()
                                    + " took longer than " + READ_LIMIT.toSeconds() + " s");
                        }
                    }
                }
                return ExitCodes.OK;
            }
            return followAll(session, nodes, lines, printer);
        }
    }

    /** Until every node's log ended (the nodes stopped) or the command is interrupted (Ctrl-C). */
    private int followAll(Session session, List<Node> nodes, int lines, LogPrinter printer) throws InterruptedException {
        List<LogStream> streams = new ArrayList<>();
        try {
            for (Node node : nodes) {
                streams.add(session.backend.streamLogs(node, lines, true, printer.to(node)));
            }
            for (LogStream stream : streams) {
                while (!stream.await(Duration.ofSeconds(1))) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                }
            }
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            // Ctrl-C, or the caller's interrupt: the normal end of following
            Thread.currentThread().interrupt();
            return ExitCodes.OK;
        } finally {
            streams.forEach(LogStream::close);
            out().flush();
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private int tailLines() {
        if ("all".equals(tail)) {
            return -1;
        }
        try {
            int n = Integer.parseInt(tail);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "--tail must be a number of lines (0 or more) or 'all', got '"
                + tail + "'");
    }
}
