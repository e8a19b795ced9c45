package io.redisha.backend;

import java.util.List;

/** The Prometheus exporters that run beside the project's nodes ({@link ExporterSpec}). */
public interface Exporters {

    /**
     * @param node the name of the node it watches
     * @param dial where this process reaches its metrics port, or null when it is not running
     */
    record Exporter(String id, String node, NodeState state, Endpoint dial) {
    }

    /** Every exporter of the project, by the name of its node. */
    List<Exporter> list();

    /**
     * Replaces the exporter of a running node by one made from {@code spec} (new files: it reads its password
     * file only when it starts), its port published on {@code bind}.
     */
    void replace(String nodeName, String bind, ExporterSpec spec);
}
