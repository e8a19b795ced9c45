package io.redisha.cli;

import io.redisha.backend.BackendException;
import io.redisha.backend.ProjectBusyException;
import io.redisha.cluster.NotReadyException;
import io.redisha.cluster.PreflightException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

@Command(name = "redisha",
        mixinStandardHelpOptions = true,
        versionProvider = RedishaCli.Version.class,
        description = "Deploys a highly available Redis (master, replicas, Sentinels) on Docker and proves its failover.",
        subcommands = {UpCommand.class, ScaleCommand.class, StatusCommand.class, DownCommand.class,
                FailoverTestCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                " 0:success",
                " 1:unexpected error",
                " 2:invalid command line",
                " 3:invalid topology file (nothing created)",
                " 4:Docker engine unreachable or an engine operation failed",
                " 5:deployment not ready within the timeout",
                " 6:refused (unsafe or impossible request, or nothing deployed); nothing changed",
                " 7:failover-test: no failover within the timeout",
                " 8:failover-test: a check failed",
                " 9:another redisha command is changing this project"})
public class RedishaCli {
    @Option(names = "--stacktrace", hidden = true, scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean stacktrace;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }

    /** Runs the CLI in-process; tests call this with their own writers. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        RedishaCli root = new RedishaCli();
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorHandler(root));
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
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

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RedishaCli.class.getPackage().getImplementationVersion();
            return new String[]{"redisha " + (v == null ? "(development build)" : v)};
        }
    }
}
