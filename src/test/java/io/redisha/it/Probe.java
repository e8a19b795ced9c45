package io.redisha.it;

import com.github.dockerjava.api.model.Container;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.SafeEncoder;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks a deployment the way a user would, independently of redisha: plain Jedis connections to
 * each container's published loopback port, addresses compared with what the engine reports.
 */
public final class Probe {
    private Probe() {
    }

    public static Jedis redis(String containerId) {
        return redis(containerId, null);
    }

    /** A connection logged in with {@code password} (the default user's), or none when null. */
    public static Jedis redis(String containerId, String password) {
        Jedis jedis = new Jedis("127.0.0.1", Engine.hostPort(containerId, 6379), 2000);
        if (password != null) {
            jedis.auth(password);
        }
        return jedis;
    }

    public static Jedis sentinel(String containerId) {
        return new Jedis("127.0.0.1", Engine.hostPort(containerId, 26379), 2000);
    }

    public static Map<String, String> info(Jedis jedis) {
        return jedis.info("replication").lines().filter(l -> l.contains(":") && !l.startsWith("#"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')), l -> l.substring(l.indexOf(':') + 1).strip(),
                        (a, b) -> b));
    }

    public static List<Container> byService(String project, String service) {
        return Engine.containers(project).stream().filter(c -> service.equals(c.getLabels().get("io.redisha.service"))).toList();
    }

    /** The container whose Redis says role:master; exactly one must. */
    public static Container master(String project) {
        return master(project, null);
    }

    /** {@link #master(String)} on nodes that require {@code password}. */
    public static Container master(String project, String password) {
        List<Container> masters = Engine.containers(project).stream()
                .filter(c -> !"sentinel".equals(c.getLabels().get("io.redisha.service")))
                .filter(c -> {
                    try (Jedis j = redis(c.getId(), password)) {
                        return "master".equals(info(j).get("role"));
                    }
                }).toList();
        assertEquals(1, masters.size(), "exactly one node reports role:master");
        return masters.get(0);
    }

    /** Asserts the DESIGN.md definition of ready, asked directly of every node. */
    /** Writes {@code count} keys to a master and waits until {@code replicas} replicas acknowledged them. */
    public static void writeKeys(String masterId, String prefix, int count, int replicas) {
        try (Jedis m = redis(masterId)) {
            for (int i = 0; i < count; i++) {
                m.set(prefix + i, "v" + i);
            }
            assertEquals(replicas, m.waitReplicas(replicas, 5000), "replicas that acknowledged the keys");
        }
    }

    public static void assertReady(String project, int replicas, int sentinels) {
        assertReady(project, replicas, sentinels, null);
    }

    /** {@link #assertReady(String, int, int)} on Redis nodes that require {@code password}. */
    public static void assertReady(String project, int replicas, int sentinels, String password) {
        Container master = master(project, password);
        String masterIp = Engine.ip(master.getId());
        List<Container> redisNodes = Engine.containers(project).stream()
                .filter(c -> !"sentinel".equals(c.getLabels().get("io.redisha.service"))).toList();
        assertEquals(replicas + 1, redisNodes.size(), "redis nodes");
        try (Jedis m = redis(master.getId(), password)) {
            assertEquals(Integer.toString(replicas), info(m).get("connected_slaves"), "replicas connected to the master");
        }
        for (Container c : redisNodes) {
            if (c.getId().equals(master.getId())) {
                continue;
            }
            try (Jedis r = redis(c.getId(), password)) {
                Map<String, String> info = info(r);
                assertEquals("slave", info.get("role"), c.getNames()[0]);
                assertEquals("up", info.get("master_link_status"), c.getNames()[0] + " link");
            }
        }
        Set<String> replicaAddresses = redisNodes.stream().filter(c -> !c.getId().equals(master.getId()))
                .map(c -> Engine.ip(c.getId()) + ":6379").collect(Collectors.toCollection(TreeSet::new));
        List<Container> sentinelNodes = byService(project, "sentinel");
        assertEquals(sentinels, sentinelNodes.size(), "sentinels");
        for (Container s : sentinelNodes) {
            try (Jedis j = sentinel(s.getId())) {
                assertEquals(List.of(masterIp, "6379"), j.sentinelGetMasterAddrByName("mymaster"), "master named by " + s.getNames()[0]);
                Map<String, String> m = j.sentinelMaster("mymaster");
                assertEquals(Integer.toString(replicas), m.get("num-slaves"), "num-slaves of " + s.getNames()[0]);
                assertEquals(Integer.toString(sentinels - 1), m.get("num-other-sentinels"), "num-other-sentinels of " + s.getNames()[0]);
                // exactly the replicas, each listed under its own address: an entry such as ":6379"
                // for a server is a second entry for it in waiting
                Set<String> listed = new TreeSet<>();
                for (Map<String, String> r : j.sentinelReplicas("mymaster")) {
                    String address = r.get("ip") + ":" + r.get("port");
                    assertEquals(address, r.get("name"), "replica entry of " + s.getNames()[0]);
                    listed.add(address);
                }
                assertEquals(replicaAddresses, listed, "replicas listed by " + s.getNames()[0]);
                Object ok = j.sendCommand(Protocol.Command.SENTINEL, SafeEncoder.encode("CKQUORUM"), SafeEncoder.encode("mymaster"));
                assertTrue(SafeEncoder.encode((byte[]) ok).startsWith("OK"), "CKQUORUM of " + s.getNames()[0]);
            }
        }
    }

    /**
     * What a plaintext PING written to a port published on 127.0.0.1 gets back within 2 s: nothing,
     * or the connection closed or reset (a node serving TLS only), else its reply.
     */
    public static String plaintextReply(int hostPort) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", hostPort), 2000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] buffer = new byte[64];
            int n = socket.getInputStream().read(buffer);
            return n < 0 ? "" : new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return ""; // timed out, refused or reset: no reply
        }
    }
}
