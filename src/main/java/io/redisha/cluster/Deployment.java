package io.redisha.cluster;

import io.redisha.backend.Endpoint;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.Service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The project's nodes at one moment, with the address book that maps network addresses to them. */
public record Deployment(String project, String network, List<Node> nodes) {

    public Deployment {
        nodes = List.copyOf(nodes);
    }

    public List<Node> redisNodes() {
        return nodes.stream().filter(n -> n.service().isRedis()).toList();
    }

    public List<Node> sentinels() {
        return nodes.stream().filter(n -> n.service() == Service.SENTINEL).toList();
    }

    public Optional<Node> find(Service service, int index) {
        return nodes.stream().filter(n -> n.service() == service && n.index() == index).findFirst();
    }

    /** The same node (same service and index) as it is in this deployment. */
    public Optional<Node> find(Node node) {
        return find(node.service(), node.index());
    }

    public Optional<Node> named(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** The node that an address handed out by Redis or Sentinel (IP, node name or alias, with port) names. */
    public Optional<Node> byAddress(String hostAndPort) {
        if (hostAndPort == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(addressBook().get(hostAndPort));
    }

    public Optional<Node> byAddress(String host, Integer port) {
        return host == null || port == null ? Optional.empty() : byAddress(host + ":" + port);
    }

    /** A node's name, or the address itself when no node answers to it. */
    public String nameOf(String address) {
        return byAddress(address).map(Node::name).orElse(address);
    }

    /** Every name a node answers to on the deployment's network, as "host:port". */
    public Map<String, Node> addressBook() {
        Map<String, Node> book = new HashMap<>();
        for (Node n : nodes) {
            int port = n.service().port();
            book.put(n.name() + ":" + port, n);
            if (n.networkIp() != null) {
                book.put(n.networkIp() + ":" + port, n);
            }
            for (String alias : Naming.aliases(n.service())) {
                book.put(alias + ":" + port, n);
            }
        }
        return book;
    }

    /** Network address to the address this process dials, as the backend reports it, for Jedis' mapper. */
    public Map<String, Endpoint> dialTable() {
        Map<String, Endpoint> table = new HashMap<>();
        addressBook().forEach((address, node) -> {
            if (node.dial() != null) {
                table.put(address, node.dial());
            }
        });
        return table;
    }
}
