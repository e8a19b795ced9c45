package io.redisha.backend;

/**
 * What this machine sees of the Docker engine it would use, found without changing anything.
 *
 * @param host       the engine's address, "unix:///var/run/docker.sock"
 * @param problem    what keeps redisha from using it, or {@link Problem#NONE}
 * @param message    the engine client's own words when it did not answer; null otherwise
 * @param version    the engine's version, "20.10.24"; null when it did not answer
 * @param apiVersion the newest Engine API it speaks, "1.41"; null when it did not answer
 */
public record EngineState(String host, Problem problem, String message, String version, String apiVersion) {

    /** What keeps redisha from using the engine, in the order it is found. */
    public enum Problem {
        NONE,
        /** a unix socket address where no socket is */
        SOCKET_MISSING,
        /** a socket this user may not read and write */
        SOCKET_DENIED,
        /** nothing answers at the address */
        UNREACHABLE
    }
}
