package io.redisha.backend;

import java.util.List;
import java.util.Map;

/**
 * A Prometheus exporter that runs beside a node, watching it: created with the node, removed with it,
 * on the same network, its port published on the node's bind address.
 *
 * @param image the exporter's image
 * @param cmd   its arguments (the image's entrypoint is the exporter); never a password
 * @param files files put into it before it starts, owned by the image's user and readable by it only
 *              (the password file it logs in with, its TLS files)
 * @param port  the port it serves metrics on inside its container
 * @param hostPort the fixed host port it is published on ({@code metrics.port}; always set on Swarm), or null
 *              for an ephemeral one
 */
public record ExporterSpec(String image, List<String> cmd, Map<String, byte[]> files, int port, Integer hostPort) {

    public ExporterSpec {
        cmd = List.copyOf(cmd);
        files = Map.copyOf(files);
    }

    public ExporterSpec(String image, List<String> cmd, Map<String, byte[]> files, int port) {
        this(image, cmd, files, port, null);
    }

    /** The exporter's name: its node's, with {@code -exporter}. */
    public static String name(String nodeName) {
        return nodeName + "-exporter";
    }
}
