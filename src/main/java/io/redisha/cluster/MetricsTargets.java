package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Exporters;
import io.redisha.backend.Node;
import io.redisha.backend.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where Prometheus scrapes the deployment: each running exporter's published port, with the node it
 * watches.
 *
 * @param targets the exporters that can be scraped, in the nodes' order
 */
public record MetricsTargets(String project, List<Target> targets) {

    /**
     * @param address  "host:port" of the exporter's published port
     * @param node     the name of the node it watches
     * @param service  the node's service: master, replica or sentinel (the role it was created in; the
     *                 current role is the exporter's {@code redis_instance_info{role}})
     * @param kind     redis or sentinel
     */
    public record Target(String address, String node, String service, String kind) {
    }

    public MetricsTargets {
        targets = List.copyOf(targets);
    }

    /** The project's exporters; empty when the backend runs none. */
    public static MetricsTargets of(String project, Backend backend, List<Node> nodes) {
        List<Exporters.Exporter> exporters = backend.exporters().map(Exporters::list).orElse(List.of());
        return of(project, exporters, nodes);
    }

    static MetricsTargets of(String project, List<Exporters.Exporter> exporters, List<Node> nodes) {
        Map<String, Exporters.Exporter> byNode = exporters.stream()
                .filter(e -> e.dial() != null)
                .collect(Collectors.toMap(Exporters.Exporter::node, Function.identity(), (a, b) -> a));
        List<Target> targets = new ArrayList<>();
        for (Node node : nodes) {
            Exporters.Exporter exporter = byNode.get(node.name());
            if (exporter != null) {
                targets.add(new Target(exporter.dial().host() + ":" + exporter.dial().port(), node.name(),
                        node.service().label(), node.service() == Service.SENTINEL ? "sentinel" : "redis"));
            }
        }
        return new MetricsTargets(project, targets);
    }
}
