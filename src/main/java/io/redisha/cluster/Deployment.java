package io.redisha.cluster;

import io.redisha.docker.NodeContainer;
import io.redisha.docker.Service;
import redis.clients.jedis.HostAndPort;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The project's containers at one moment, with the address book that maps network addresses to them. */
public record Deployment(String project, String network, List<NodeContainer> nodes) {

    public Deployment {
        nodes = List.copyOf(nodes);
    }

    public List<NodeContainer> redisNodes() {
        return nodes.stream().filter(n -> n.service().isRedis()).toList();
    }

    public List<NodeContainer> sentinels() {
        return nodes.stream().filter(n -> n.service() == Service.SENTINEL).toList();
    }

    public Optional<NodeContainer> find(Service service, int index) {
        return nodes.stream().filter(n -> n.service() == service && n.index() == index).findFirst();
    }

    /** The node that an address handed out by Redis or Sentinel (IP, container name or alias, with port) names. */
    public Optional<NodeContainer> byAddress(String hostAndPort) {
        if (hostAndPort == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(addressBook().get(hostAndPort));
    }

    public Optional<NodeContainer> byAddress(String host, Integer port) {
        return host == null || port == null ? Optional.empty() : byAddress(host + ":" + port);
    }

    /** Every name a node answers to on the project's network, as "host:port". */
    public Map<String, NodeContainer> addressBook() {
        Map<String, NodeContainer> book = new HashMap<>();
        for (NodeContainer n : nodes) {
            int port = n.service().port();
            book.put(n.name() + ":" + port, n);
            if (n.ip() != null) {
                book.put(n.ip() + ":" + port, n);
            }
            if (n.service() == Service.MASTER) {
                book.put(Naming.MASTER_ALIAS + ":" + port, n);
            }
        }
        return book;
    }

    /** Network address to published loopback address, for Jedis' host-and-port mapper. */
    public Map<String, HostAndPort> loopbackTable() {
        Map<String, HostAndPort> table = new HashMap<>();
        addressBook().forEach((address, node) -> {
            if (node.hostPort() != null) {
                table.put(address, new HostAndPort(connectHost(node.hostIp()), node.hostPort()));
            }
        });
        return table;
    }

    /** Where the host dials a published port: loopback for a wildcard binding, the bound address otherwise. */
    static String connectHost(String hostIp) {
        if (hostIp == null || hostIp.isEmpty() || "0.0.0.0".equals(hostIp) || "::".equals(hostIp)) {
            return "127.0.0.1";
        }
        return hostIp;
    }

    public static HostAndPort networkAddress(NodeContainer node) {
        return new HostAndPort(node.name(), node.service().port());
    }
}
