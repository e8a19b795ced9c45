package io.redisha.cli;

import io.redisha.cluster.NoSuchNodeException;
import io.redisha.report.Json;
import io.redisha.sentinel.CommandConnection;
import io.redisha.sentinel.Reply;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.io.Console;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "cli", mixinStandardHelpOptions = true, modelTransformer = CliCommand.WordsAfterTheNode.class,
        customSynopsis = {"redisha cli [-hVv] [--raw] [-f=FILE] [-o=FORMAT] [--timeout=SECONDS] [--user=NAME]",
                "                   [NODE] [COMMAND [ARG...]]"},
        description = {"Run one Redis or Sentinel command on a node and print the reply as redis-cli does; with no "
                + "COMMAND, on a terminal, an interactive prompt (quit or Ctrl-D to leave).",
                "NODE is master (the node the Sentinels name master now; the default), master-1, replica-2, "
                        + "sentinel-3 or a container name; a SENTINEL command without NODE goes to a running Sentinel. "
                        + "Connections go through redisha's address translation, with the topology's password "
                        + "(with auth.users: as the redisha user, or the --user one), which is never printed. "
                        + "redisha's options come before NODE: every word after it is "
                        + "the command's."})
public class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    OutputOption output;
    @Mixin
    LoggingMixin logging;
    @Option(names = "--raw", description = "Print replies as redis-cli --raw does: no quotes, no types.")
    boolean raw;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Longest wait for a reply, 0 for no limit as redis-cli (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;
    @Option(names = "--user", paramLabel = "NAME",
            description = "Log in as this user of auth.users, with the password of its password-file or password-env "
                    + "(to see what an application or a component may do); without it, as redisha.")
    String user;
    @Parameters(paramLabel = "NODE COMMAND ARG", arity = "0..*",
            description = "The node (optional), then the command and its arguments.")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
        if (timeoutSeconds < 0) {
            throw new ParameterException(spec.commandLine(), "--timeout must be 0 or more seconds, got " + timeoutSeconds);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Session session = Session.open(project, spec.commandLine().getErr())) {
            session.requireDeployed();
            CliArguments args = CliArguments.parse(words, session.loaded.topology().project());
            NodeConnection.Login login = user == null ? null : login(session);
            try (NodeConnection node = new NodeConnection(session, args.node(), args.forSentinel(), timeoutSeconds * 1000,
                    login)) {
                if (args.command().isEmpty()) {
                    return prompt(node, out);
                }
                Reply reply = node.send(CommandConnection.words(args.command()));
                print(out, args.command(), reply);
                if (CliArguments.streams(args.command()) && !(reply instanceof Reply.Error)) {
                    while (true) {
                        print(out, args.command(), node.next());
                    }
                }
                return reply instanceof Reply.Error ? ExitCodes.COMMAND_FAILED : ExitCodes.OK;
            } catch (NoSuchNodeException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            } catch (JedisConnectionException e) {
                throw new UserException(ExitCodes.COMMAND_FAILED, "connection to "
                        + (args.node() == null ? "the node" : args.node()) + " lost: " + e.getMessage(), e);
            }
        }
    }

    /** The --user to log in as, with its password from the topology's file or variable. */
    private NodeConnection.Login login(Session session) {
        var users = session.loaded.topology().auth().users();
        if (users.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--user: the topology declares no auth.users");
        }
        if (!users.containsKey(user)) {
            throw new ParameterException(spec.commandLine(), "--user: " + user + " is not a user of auth.users ("
                    + String.join(", ", users.keySet()) + ")");
        }
        return new NodeConnection.Login(user, session.secrets.password(user));
    }

    private int prompt(NodeConnection node, PrintWriter out) {
        Console console = System.console();
        if (console == null) {
            throw new ParameterException(spec.commandLine(),
                    "no COMMAND given, and no terminal for an interactive prompt");
        }
        node.connect();
        Prompt.Target target = new Prompt.Target() {
            @Override
            public String label() {
                return node.label();
            }

            @Override
            public Reply send(List<byte[]> command) {
                return node.send(command);
            }
        };
        new Prompt(prompt -> console.readLine("%s", prompt), out, (command, reply) -> print(out, command, reply))
                .run(target);
        return ExitCodes.OK;
    }

    private void print(PrintWriter out, List<String> command, Reply reply) {
        if (output.json()) {
            out.print(Json.write(ReplyFormat.json(reply)));
        } else {
            out.print(raw ? ReplyFormat.raw(reply) : ReplyFormat.forCommand(command, reply));
        }
        out.flush();
    }

    /** After the first positional word (the node or the command) every word is the command's, even "-x". */
    static final class WordsAfterTheNode implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.parser().stopAtPositional(true);
            return spec;
        }
    }
}
