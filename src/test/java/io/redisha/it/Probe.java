package io.redisha.it;

import com.github.dockerjava.api.model.Container;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.SafeEncoder;

import java.util.List;
import java.util.Map;
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
        return new Jedis("127.0.0.1", Engine.hostPort(containerId, 6379), 2000);
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
        List<Container> masters = Engine.containers(project).stream()
                .filter(c -> !"sentinel".equals(c.getLabels().get("io.redisha.service")))
                .filter(c -> {
                    try (Jedis j = redis(c.getId())) {
                        return "master".equals(info(j).get("role"));
                    }
                }).toList();
        assertEquals(1, masters.size(), "exactly one node reports role:master");
        return masters.get(0);
    }

    /** Asserts the DESIGN.md definition of ready, asked directly of every node. */
    public static void assertReady(String project, int replicas, int sentinels) {
        Container master = master(project);
        String masterIp = Engine.ip(master.getId());
        List<Container> redisNodes = Engine.containers(project).stream()
                .filter(c -> !"sentinel".equals(c.getLabels().get("io.redisha.service"))).toList();
        assertEquals(replicas + 1, redisNodes.size(), "redis nodes");
        try (Jedis m = redis(master.getId())) {
            assertEquals(Integer.toString(replicas), info(m).get("connected_slaves"), "replicas connected to the master");
        }
        for (Container c : redisNodes) {
            if (c.getId().equals(master.getId())) {
                continue;
            }
            try (Jedis r = redis(c.getId())) {
                Map<String, String> info = info(r);
                assertEquals("slave", info.get("role"), c.getNames()[0]);
                assertEquals("up", info.get("master_link_status"), c.getNames()[0] + " link");
            }
        }
        List<Container> sentinelNodes = byService(project, "sentinel");
        assertEquals(sentinels, sentinelNodes.size(), "sentinels");
        for (Container s : sentinelNodes) {
            try (Jedis j = sentinel(s.getId())) {
                assertEquals(List.of(masterIp, "6379"), j.sentinelGetMasterAddrByName("mymaster"), "master named by " + s.getNames()[0]);
                Map<String, String> m = j.sentinelMaster("mymaster");
                assertEquals(Integer.toString(replicas), m.get("num-slaves"), "num-slaves of " + s.getNames()[0]);
                assertEquals(Integer.toString(sentinels - 1), m.get("num-other-sentinels"), "num-other-sentinels of " + s.getNames()[0]);
                Object ok = j.sendCommand(Protocol.Command.SENTINEL, SafeEncoder.encode("CKQUORUM"), SafeEncoder.encode("mymaster"));
                assertTrue(SafeEncoder.encode((byte[]) ok).startsWith("OK"), "CKQUORUM of " + s.getNames()[0]);
            }
        }
    }
}
