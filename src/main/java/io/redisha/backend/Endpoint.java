package io.redisha.backend;

/** A host and port; {@link #toString()} is "host:port", the form Redis and Sentinel use. */
public record Endpoint(String host, int port) {

    /** Parses "host:port" (the port after the last colon). */
    public static Endpoint parse(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not host:port: " + hostAndPort);
        }
        return new Endpoint(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
