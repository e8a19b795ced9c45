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
    public static final int EVENT_TIMEOUT = 13;
    /** redisha doctor's, one a failure, in the order of its checks. */
    public static final int DOCTOR_JAVA = 20;
    public static final int DOCTOR_SOCKET_MISSING = 21;
    public static final int DOCTOR_SOCKET_DENIED = 22;
    public static final int DOCTOR_ENGINE_UNREACHABLE = 23;
    public static final int DOCTOR_ENGINE_API = 24;
    public static final int DOCTOR_IMAGE_MISSING = 25;
    public static final int DOCTOR_IMAGE_NO_SERVER = 26;
    public static final int DOCTOR_IMAGE_NO_TLS = 27;
    public static final int DOCTOR_PORT_TAKEN = 28;
    public static final int DOCTOR_TOPOLOGY = 29;
    public static final int DOCTOR_SWARM = 30;

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
            new Meaning(BACKUP_FORMAT, "restore: the file's RDB format is newer than the deployment's server reads; nothing changed"),
            new Meaning(EVENT_TIMEOUT, "events: the event --until names did not come within --timeout"),
            new Meaning(DOCTOR_JAVA, "doctor: Java older than 17"),
            new Meaning(DOCTOR_SOCKET_MISSING, "doctor: no Docker engine socket where DOCKER_HOST (or the default) says"),
            new Meaning(DOCTOR_SOCKET_DENIED, "doctor: no permission on the Docker engine's socket"),
            new Meaning(DOCTOR_ENGINE_UNREACHABLE, "doctor: the Docker engine does not answer"),
            new Meaning(DOCTOR_ENGINE_API, "doctor: the Docker engine's API is older than 1.41"),
            new Meaning(DOCTOR_IMAGE_MISSING, "doctor: the topology's image is not on the engine"),
            new Meaning(DOCTOR_IMAGE_NO_SERVER, "doctor: the image runs no Redis or Valkey server redisha can use"),
            new Meaning(DOCTOR_IMAGE_NO_TLS, "doctor: the image's server has no TLS support (asked for with --tls or tls.enabled)"),
            new Meaning(DOCTOR_PORT_TAKEN, "doctor: a fixed host port of the topology is in use"),
            new Meaning(DOCTOR_TOPOLOGY, "doctor: the topology file is invalid"),
            new Meaning(DOCTOR_SWARM, "doctor: the Swarm's hosts cannot place the deployment, or are down"));

    private ExitCodes() {
    }
}
