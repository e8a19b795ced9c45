package io.redisha.failover;

import io.redisha.backend.Endpoint;
import io.redisha.backend.Node;
import io.redisha.cluster.Cluster;
import io.redisha.cluster.ClusterStatus;
import io.redisha.cluster.Expected;
import io.redisha.cluster.NodeStatus;
import io.redisha.cluster.NotReadyException;
import io.redisha.cluster.Progress;
import io.redisha.failover.FailoverReport.Check;
import io.redisha.failover.FailoverReport.Status;
import io.redisha.sentinel.RedisNodes;
import io.redisha.sentinel.ReplicationInfo;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a round checks after the switch, each by observing until it holds or the round's deadline:
 * the new master, the old master's return as its replica, the whole deployment ready again. Each
 * check remembers when it first held.
 */
final class RoundChecks {
    static final String CHECK_FAILOVER = "failover";
    static final String CHECK_NEW_MASTER = "new master";
    static final String CHECK_REJOINED = "old master rejoined";
    static final String CHECK_READY = "ready";
    static final String CHECK_WRITES = "writes";

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RECOVER_WAIT = Duration.ofSeconds(30);

    private final Cluster cluster;
    private final Expected expected;
    private final RedisNodes redis;
    private final Progress progress;
    private final Node oldMaster;
    private final long origin;
    private final String probeKey;
    private final long keyTtlSeconds;
    private final long timeoutSeconds;
    private long probeNanos;
    private long rejoinedNanos;
    private long readyNanos;

    RoundChecks(Cluster cluster, Expected expected, Progress progress, Node oldMaster, long origin, String probeKey,
                long keyTtlSeconds, long timeoutSeconds) {
        this.cluster = cluster;
        this.expected = expected;
        this.redis = cluster.redis();
        this.progress = progress;
        this.oldMaster = oldMaster;
        this.origin = origin;
        this.probeKey = probeKey;
        this.keyTtlSeconds = keyTtlSeconds;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Milliseconds from the fault to redisha's probe write on the new master, or null. */
    Long probeMs() {
        return probeNanos == 0 ? null : Phases.ms(probeNanos - origin);
    }

    Long rejoinedMs() {
        return rejoinedNanos == 0 ? null : Phases.ms(rejoinedNanos - origin);
    }

    Long readyMs() {
        return readyNanos == 0 ? null : Phases.ms(readyNanos - origin);
    }

    private Await every() {
        return Await.quietly().every(POLL);
    }

    /** The promoted node reports role:master and accepts a write, and every Sentinel names it. */
    Check newMaster(String address, String name, List<Node> sentinels, long deadline) {
        Poll<Void> ok = every().until(deadline, () -> Poll.unless(newMasterProblem(address, name, sentinels)));
        return ok.done()
                ? new Check(CHECK_NEW_MASTER, Status.PASS, name + " reports role:master, accepted a write "
                        + Phases.seconds(probeNanos - origin) + " s after the fault, and all " + sentinels.size()
                        + " Sentinels name it")
                : new Check(CHECK_NEW_MASTER, Status.FAIL, ok.missing());
    }

    private String newMasterProblem(String address, String name, List<Node> sentinels) {
        try (Jedis jedis = redis.redis(Endpoint.parse(address))) {
            ReplicationInfo info = ReplicationInfo.parse(jedis.info("replication"));
            if (!info.isMaster()) {
                return name + " reports role:" + info.role();
            }
            if (probeNanos == 0) {
                String reply = jedis.set(probeKey, "probe", SetParams.setParams().ex(keyTtlSeconds));
                if (!"OK".equals(reply)) {
                    return name + " answered the probe write with " + reply;
                }
                probeNanos = System.nanoTime();
                jedis.del(probeKey);
            }
        } catch (JedisException e) {
            return name + ": " + e.getMessage();
        }
        for (Node sentinel : sentinels) {
            try {
                String said = redis.namedMaster(sentinel.nameAddress()).orElse("no master");
                if (!address.equals(said)) {
                    return sentinel.name() + " names " + cluster.deployment().nameOf(said) + ", not " + name;
                }
            } catch (JedisException e) {
                return sentinel.name() + " cannot be asked: " + e.getMessage();
            }
        }
        return null;
    }

    /** The healed old master replicates from the new one with its link up, as the Inspector sees it. */
    Check rejoined(Node newMaster, long deadline) {
        Poll<Void> ok = every().until(deadline, () -> Poll.unless(rejoinProblem(newMaster)));
        if (!ok.done()) {
            return new Check(CHECK_REJOINED, Status.FAIL, ok.missing() + " " + timeoutSeconds
                    + " s after the fault");
        }
        rejoinedNanos = System.nanoTime();
        String detail = oldMaster.name() + " replicates from " + newMaster.name() + " with its link up, "
                + Phases.seconds(rejoinedNanos - origin) + " s after the fault";
        progress.step(detail);
        return new Check(CHECK_REJOINED, Status.PASS, detail);
    }

    private String rejoinProblem(Node newMaster) {
        // a restarted or reconnected node may be dialled elsewhere: the status reads the backend again
        Optional<NodeStatus> found = oldMasterStatus();
        if (found.isEmpty()) {
            return oldMaster.name() + " no longer exists";
        }
        NodeStatus node = found.get();
        if (!"running".equals(node.state())) {
            return oldMaster.name() + " is " + node.state();
        }
        if (node.error() != null) {
            return oldMaster.name() + " cannot be asked: " + node.error();
        }
        if ("master".equals(node.role())) {
            return oldMaster.name() + " still reports role:master";
        }
        if (!newMaster.name().equals(node.replicaOf())) {
            return oldMaster.name() + " replicates from " + node.replicaOf() + ", not " + newMaster.name();
        }
        if (!"up".equals(node.link())) {
            return oldMaster.name() + "'s replication link to " + newMaster.name() + " is " + node.link();
        }
        return null;
    }

    private Optional<NodeStatus> oldMasterStatus() {
        ClusterStatus status = cluster.status(expected);
        return status.nodes().stream().filter(n -> n.service().equals(oldMaster.service().label())
                && n.index() == oldMaster.index()).findFirst();
    }

    Check ready(long deadline) {
        long left = Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
        try {
            ClusterStatus status = cluster.waitReady(expected, Duration.ofNanos(left));
            readyNanos = System.nanoTime();
            return new Check(CHECK_READY, Status.PASS, "every replica's link is up to " + status.master()
                    + ", every Sentinel names it, knows all replicas and Sentinels, and CKQUORUM passes");
        } catch (NotReadyException e) {
            return new Check(CHECK_READY, Status.FAIL, e.getMessage());
        }
    }

    /**
     * Without a failover: waits for the old master to answer as master again; else says so in a note.
     *
     * @param after from when it waited, for that note: "after the fault was undone"
     */
    Optional<String> masterBack(String after) {
        Poll<Void> back = every().until(Await.deadline(RECOVER_WAIT), () -> Poll.unless(
                oldMasterStatus().filter(n -> "master".equals(n.role())).isPresent() ? null : "not yet"));
        return back.done() ? Optional.empty() : Optional.of(oldMaster.name() + " did not answer as master within "
                + RECOVER_WAIT.toSeconds() + " s " + after);
    }
}
