package io.redisha.failover;

import io.redisha.backend.Backend;
import io.redisha.backend.Endpoint;
import io.redisha.backend.Node;
import io.redisha.failover.FailoverReport.Check;
import io.redisha.failover.FailoverReport.Status;
import io.redisha.sentinel.RedisNodes;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.util.List;

/**
 * For a fault that restarts the master before Sentinel can notice (restart-fast): a set of keys
 * written to the master and acknowledged by every replica before the fault, read back afterwards
 * from whichever node is master, so the loss a wiped master causes is counted exactly. The report
 * quotes the restarted node's own account of its start ({@code redisha: ...} lines of its start script).
 */
final class KeptKeys {
    static final String CHECK_KEPT = "keys kept";
    static final int COUNT = 100;
    private static final String PREFIX = "redisha: ";

    private final RedisNodes redis;
    private final String prefix;
    private final int ttlSeconds;
    private int written;
    private int linesBefore;

    KeptKeys(RedisNodes redis, String prefix, int ttlSeconds) {
        this.redis = redis;
        this.prefix = prefix;
        this.ttlSeconds = ttlSeconds;
    }

    /**
     * Writes the keys to the master and waits (at most 5 s) until the replicas acknowledged them;
     * notes how many start-script lines the node's log holds already (from earlier starts).
     */
    void write(String masterAddress, int replicas, Backend backend, Node master) {
        linesBefore = protectionLines(backend, master).size();
        try (Jedis jedis = redis.redis(Endpoint.parse(masterAddress))) {
            for (int i = 0; i < COUNT; i++) {
                jedis.setex(prefix + i, ttlSeconds, "v" + i);
            }
            written = COUNT;
            if (replicas > 0) {
                jedis.waitReplicas(replicas, 5000);
            }
        }
    }

    /** Reads the keys back from the master at that address; the check fails when any is gone. */
    Check check(String masterAddress, String masterName, Backend backend, Node restarted) {
        String acted = describe(restarted, backend);
        int gone;
        try (Jedis jedis = redis.redis(Endpoint.parse(masterAddress))) {
            gone = 0;
            for (int i = 0; i < written; i++) {
                if (!("v" + i).equals(jedis.get(prefix + i))) {
                    gone++;
                }
            }
        } catch (JedisException e) {
            return new Check(CHECK_KEPT, Status.FAIL, "could not read the " + written + " keys back from " + masterName
                    + ": " + e.getMessage() + acted);
        }
        String counted = gone + " of the " + written + " keys written before the fault are gone (read back from "
                + masterName + ")";
        return new Check(CHECK_KEPT, gone == 0 ? Status.PASS : Status.FAIL, counted + acted);
    }

    private static List<String> protectionLines(Backend backend, Node node) {
        return backend.logs(node, 1000).stream().map(String::strip)
                .filter(l -> l.contains(PREFIX)).map(l -> l.substring(l.indexOf(PREFIX) + PREFIX.length())).toList();
    }

    /** "; restarted node: ..." with its start script's lines since the fault, or what shows that it had none. */
    private String describe(Node restarted, Backend backend) {
        try {
            List<String> all = protectionLines(backend, restarted);
            List<String> lines = all.subList(Math.min(linesBefore, all.size()), all.size());
            return lines.isEmpty() ? "; " + restarted.name() + " logged no protection line (started at once)"
                    : "; " + restarted.name() + ": " + String.join("; ", lines);
        } catch (RuntimeException e) {
            return "; " + restarted.name() + "'s log could not be read: " + e.getMessage();
        }
    }
}
