package io.redisha.cli;

import io.redisha.backend.BackendException;
import io.redisha.backend.ProjectBusyException;
import io.redisha.backend.docker.SingleEngineBackend;
import io.redisha.cluster.BackupException;
import io.redisha.cluster.NotReadyException;
import io.redisha.cluster.PreflightException;
import io.redisha.sentinel.RedisNodes;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

@Command(name = "redisha",
        mixinStandardHelpOptions = true,
        versionProvider = RedishaCli.Version.class,
        description = "Deploys a highly available Redis (master, replicas, Sentinels) on Docker and proves its failover.")
public class RedishaCli {
    @Option(names = "--stacktrace", hidden = true, scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean stacktrace;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }

    /** The commands that talk to the engine, by name, in the order the usage lists them. */
    private static final Map<String, Class<?>> ENGINE_COMMANDS = new LinkedHashMap<>();

    static {
        ENGINE_COMMANDS.put("up", UpCommand.class);
        ENGINE_COMMANDS.put("scale", ScaleCommand.class);
        ENGINE_COMMANDS.put("status", StatusCommand.class);
        ENGINE_COMMANDS.put("down", DownCommand.class);
        ENGINE_COMMANDS.put("failover-test", FailoverTestCommand.class);
        ENGINE_COMMANDS.put("logs", LogsCommand.class);
        ENGINE_COMMANDS.put("cli", CliCommand.class);
        ENGINE_COMMANDS.put("connect", ConnectCommand.class);
        ENGINE_COMMANDS.put("backup", BackupCommand.class);
        ENGINE_COMMANDS.put("restore", RestoreCommand.class);
        ENGINE_COMMANDS.put("events", EventsCommand.class);
        ENGINE_COMMANDS.put("doctor", DoctorCommand.class);
    }

    /** Every command. */
    static CommandLine commandLine(RedishaCli root) {
        CommandLine cli = new CommandLine(root);
        cli.addSubcommand("init", InitCommand.class);
        ENGINE_COMMANDS.forEach(cli::addSubcommand);
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.addSubcommand(new AutoComplete.GenerateCompletion());
        return cli;
    }

    /** Every command, described as the usage help shows them: for the manual pages and completion. */
    static CommandLine describedCommandLine() {
        CommandLine cli = commandLine(new RedishaCli());
        describeEveryCommand(cli);
        return cli;
    }

    /** Runs the CLI in-process; tests call this with their own writers. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        RedishaCli root = new RedishaCli();
        Class<?> named = args.length == 0 ? null : ENGINE_COMMANDS.get(args[0]);
        CommandLine cli;
        if (named == null) {
            cli = commandLine(root);
        } else {
            if (Arrays.stream(args).noneMatch(a -> a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version"))) {
                // docker-java and Jedis take a good part of a short command's time to get ready:
                // they do meanwhile, while the command line and the topology are read
                SingleEngineBackend.connectAhead();
                RedisNodes.prepare();
            }
            // picocli reflects over every command it is given, and a command named first needs no
            // other (its usage, errors and exit codes are the same)
            cli = new CommandLine(root);
            cli.addSubcommand(args[0], named);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorHandler(root));
        describeEveryCommand(cli);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * What every command shares: redisha's version for -V, and the exit codes in the usage help
     * (not in that of help and generate-completion, which only print).
     */
    private static void describeEveryCommand(CommandLine cli) {
        Map<String, String> exitCodes = new LinkedHashMap<>();
        ExitCodes.ALL.forEach(m -> exitCodes.put(String.format("%2d", m.code()), m.text()));
        CommandSpec root = cli.getCommandSpec();
        root.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes);
        for (CommandLine sub : cli.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            spec.versionProvider(root.versionProvider());
            if (!spec.helpCommand()) {
                spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes);
            }
        }
    }

    /** One "error: ..." line (plus the failing container's log lines), and the mapped exit code. */
    static final class ErrorHandler implements IExecutionExceptionHandler {
        private final RedishaCli root;

        ErrorHandler(RedishaCli root) {
            this.root = root;
        }

        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
            PrintWriter err = cmd.getErr();
            int code = exitCode(e);
            err.println("error: " + message(e));
            if (e instanceof NotReadyException nre && !nre.logs().isEmpty()) {
                err.println("last log lines:");
                nre.logs().forEach(line -> err.println("  " + line));
            }
            if (root.stacktrace || code == ExitCodes.ERROR) {
                e.printStackTrace(err);
            }
            err.flush();
            return code;
        }

        static int exitCode(Throwable e) {
            if (e instanceof UserException u) {
                return u.exitCode();
            }
            if (e instanceof io.redisha.cluster.Scaler.RefusedException || e instanceof io.redisha.cluster.PlacementException
                    || e instanceof io.redisha.cluster.ChangeRefusedException) {
                return ExitCodes.REFUSED;
            }
            if (e instanceof BackupException b) {
                return switch (b.kind()) {
                    case DAMAGED -> ExitCodes.BACKUP_DAMAGED;
                    case NEWER_FORMAT -> ExitCodes.BACKUP_FORMAT;
                    case REFUSED -> ExitCodes.REFUSED;
                };
            }
            if (e instanceof PreflightException) {
                return ExitCodes.INVALID_TOPOLOGY;
            }
            if (e instanceof ProjectBusyException) {
                return ExitCodes.BUSY;
            }
            if (e instanceof NotReadyException) {
                return ExitCodes.NOT_READY;
            }
            if (e instanceof BackendException) {
                return ExitCodes.DOCKER;
            }
            return ExitCodes.ERROR;
        }

        private static String message(Throwable e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /**
     * The project version and build date, from a resource Maven filters at build time, and the git
     * commit, from one the build writes: the same in the shaded jar, in target/classes and in tests.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties build = buildProperties();
            return new String[]{"redisha " + projectVersion(),
                    "commit " + commit() + ", built " + value(build, "date", "unknown")};
        }

        /** The build writes the commit to a resource of its own (pom.xml); a build outside git wrote "unknown". */
        private static String commit() {
            try (InputStream in = RedishaCli.class.getResourceAsStream("commit")) {
                String commit = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                return commit.matches("[0-9a-f]{4,40}") ? commit : "unknown";
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read redisha's commit resource", e);
            }
        }

        static String projectVersion() {
            // unfiltered (compiled outside Maven): say so rather than print a placeholder
            return value(buildProperties(), "version", "(development build)");
        }

        private static String value(Properties build, String key, String unknown) {
            String value = build.getProperty(key, "");
            // compiled outside Maven, the resource holds the placeholder
            return value.isBlank() || value.startsWith("${") ? unknown : value;
        }

        private static Properties buildProperties() {
            try (InputStream in = RedishaCli.class.getResourceAsStream("version.properties")) {
                Properties properties = new Properties();
                if (in != null) {
                    properties.load(in);
                }
                return properties;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read redisha's version resource", e);
            }
        }
    }
}
