package io.redisha.cli;

/** redisha's exit codes; documented in the README and in --help. */
public final class ExitCodes {
    public static final int OK = 0;
    /** An unexpected error (a bug or an environment problem not listed below). */
    public static final int ERROR = 1;
    /** The command line is wrong. */
    public static final int USAGE = 2;
    /** The topology file is missing, unreadable or invalid; nothing was created. */
    public static final int INVALID_TOPOLOGY = 3;
    /** The Docker engine is unreachable or refused an operation. */
    public static final int DOCKER = 4;
    /** The deployment did not become ready within the timeout. */
    public static final int NOT_READY = 5;
    /** The request was refused as unsafe or impossible (scale below the quorum, deployment not up); nothing changed. */
    public static final int REFUSED = 6;
    /** failover-test: Sentinel did not promote a new master within the timeout. */
    public static final int NO_FAILOVER = 7;
    /** failover-test: a failover happened but a check failed (or writes were lost beyond --max-lost). */
    public static final int CHECKS_FAILED = 8;
    /** Another redisha command is changing the same project. */
    public static final int BUSY = 9;

    private ExitCodes() {
    }
}
