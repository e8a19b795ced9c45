package io.redisha.backend;

import java.util.List;
import java.util.Map;

/**
 * What the orchestrator asks a backend to create for one node, in terms no engine owns.
 *
 * @param hostPort    fixed published port, or null for an ephemeral one
 * @param bind        the address ports are published on
 * @param files       files put into the node before it starts (path inside the node to content);
 *                    configuration travels this way, never on the command line
 * @param volume      named volume holding the node's data directory (created when missing), or null
 * @param memoryBytes memory limit, or null for none
 * @param address     fixed address on the deployment's network, one of the {@link AddressRange} the
 *                    backend keeps for them, which the node keeps across restarts and reconnections;
 *                    null to let the backend pick one
 * @param settings    what the node is created from, recorded on it for a later run to compare
 *                    ({@code io.redisha.settings}); null records nothing
 * @param fresh       created with a new deployment, in which no Sentinel can name it master and no other
 *                    node holds data it could overwrite: its first start need not ask the Sentinels
 *                    ({@link StartScript}); every later start does
 * @param exporter    the Prometheus exporter that runs beside the node, or null for none
 */
public record NodeSpec(String name, Service service, int index, String image, List<String> cmd, String bind,
                       Integer hostPort, Map<String, byte[]> files, String volume, Long memoryBytes, String address,
                       String settings, boolean fresh, ExporterSpec exporter) {

    public NodeSpec {
        cmd = List.copyOf(cmd);
        files = Map.copyOf(files);
    }

    public NodeSpec(String name, Service service, int index, String image, List<String> cmd, String bind,
                    Integer hostPort, Map<String, byte[]> files, String volume, Long memoryBytes, String address,
                    String settings) {
        this(name, service, index, image, cmd, bind, hostPort, files, volume, memoryBytes, address, settings, false);
    }

    public NodeSpec(String name, Service service, int index, String image, List<String> cmd, String bind,
                    Integer hostPort, Map<String, byte[]> files, String volume, Long memoryBytes, String address,
                    String settings, boolean fresh) {
        this(name, service, index, image, cmd, bind, hostPort, files, volume, memoryBytes, address, settings, fresh, null);
    }

    /** The same node, with an exporter beside it. */
    public NodeSpec withExporter(ExporterSpec exporter) {
        return new NodeSpec(name, service, index, image, cmd, bind, hostPort, files, volume, memoryBytes, address,
                settings, fresh, exporter);
    }

    /** The same node, created with a new deployment (see {@code fresh}). */
    public NodeSpec asFresh() {
        return new NodeSpec(name, service, index, image, cmd, bind, hostPort, files, volume, memoryBytes, address,
                settings, true, exporter);
    }
}
