package io.redisha.cli;

import java.util.List;

/**
 * redisha's exit codes. {@link #ALL} is the one list of what they mean: --help shows it, and a
 * unit test holds the "Exit codes" table of docs/commands.md to it.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;
    public static final int INVALID_TOPOLOGY = 3;
    public static final int DOCKER = 4;
    public static final int NOT_READY = 5;
    public static final int REFUSED = 6;
    public static final int NO_FAILOVER = 7;
    public static final int CHECKS_FAILED = 8;
    public static final int BUSY = 9;
    public static final int COMMAND_FAILED = 10;
    public static final int BACKUP_DAMAGED = 11;
    public static final int BACKUP_FORMAT = 12;

    /** An exit code and what it means to the user. */
    public record Meaning(int code, String text) {
    }

    /** Every exit code, in order, with its meaning. */
    public static final List<Meaning> ALL = List.of(
            new Meaning(OK, "success"),
            new Meaning(ERROR, "unexpected error (stack trace printed)"),
            new Meaning(USAGE, "invalid command line"),
            new Meaning(INVALID_TOPOLOGY, "invalid topology file, or a fixed host port already in use; nothing created"),
            new Meaning(DOCKER, "Docker engine unreachable, image missing, or an engine operation failed"),
            new Meaning(NOT_READY, "deployment not ready within the timeout (or status of an unready deployment)"),
            new Meaning(REFUSED, "refused: unsafe or impossible request, or project not deployed; nothing changed"),
            new Meaning(NO_FAILOVER, "failover-test: no failover within the timeout"),
            new Meaning(CHECKS_FAILED, "failover-test: a check failed (or more than --max-lost writes were lost)"),
            new Meaning(BUSY, "another redisha command is changing this project"),
            new Meaning(COMMAND_FAILED, "cli: the node could not be reached, or it replied with an error"),
            new Meaning(BACKUP_DAMAGED, "backup, restore: the file fails its check (size, SHA-256 or the server's own check); nothing changed"),
            new Meaning(BACKUP_FORMAT, "restore: the file's RDB format is newer than the deployment's server reads; nothing changed"));

    private ExitCodes() {
    }
}
