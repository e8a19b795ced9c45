package io.redisha.docker;

import java.util.List;
import java.util.Map;

/**
 * What redisha asks the engine to create for one node.
 *
 * @param hostPort fixed host port, or null for an ephemeral one
 * @param files    files copied into the container before it starts (path inside the container to content);
 *                 configuration travels this way, never on the command line
 * @param volume   named volume mounted at /data (created with the container's labels when missing), or null
 * @param memoryBytes container memory limit, or null for none
 */
public record ContainerSpec(String name, String image, Map<String, String> labels, List<String> cmd,
                            String network, List<String> aliases, int containerPort,
                            String hostIp, Integer hostPort, Map<String, byte[]> files,
                            String volume, Long memoryBytes) {

    public ContainerSpec {
        labels = Map.copyOf(labels);
        cmd = List.copyOf(cmd);
        aliases = List.copyOf(aliases);
        files = Map.copyOf(files);
    }
}
