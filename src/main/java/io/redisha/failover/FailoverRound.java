package io.redisha.failover;

import io.redisha.cluster.Cluster;
import io.redisha.cluster.ClusterStatus;
import io.redisha.cluster.Deployment;
import io.redisha.cluster.Expected;
import io.redisha.cluster.NodeStatus;
import io.redisha.cluster.NotReadyException;
import io.redisha.cluster.Progress;
import io.redisha.docker.NodeContainer;
import io.redisha.failover.FailoverReport.Check;
import io.redisha.failover.FailoverReport.Event;
import io.redisha.failover.FailoverReport.Outcome;
import io.redisha.failover.FailoverReport.Phase;
import io.redisha.failover.FailoverReport.Round;
import io.redisha.failover.FailoverReport.Status;
import io.redisha.failover.FailoverReport.Writes;
import io.redisha.failover.WriteWorkload.Write;
import io.redisha.sentinel.RedisNodes;
import io.redisha.sentinel.ReplicationInfo;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One round: find the master through Sentinel, listen to every Sentinel, start the writes, inject
 * the fault, wait for {@code +switch-master}, verify the new master through Jedis, heal, wait for
 * the old master to rejoin and the deployment to be ready, then read the writes back. Every wait
 * observes something and ends at the round's deadline.
 */
final class FailoverRound {
    static final String CHECK_FAILOVER = "failover";
    static final String CHECK_NEW_MASTER = "new master";
    static final String CHECK_REJOINED = "old master rejoined";
    static final String CHECK_READY = "ready";
    static final String CHECK_WRITES = "writes";

    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(10);
    private static final Duration BASELINE_WAIT = Duration.ofSeconds(5);
    private static final Duration RECOVER_WAIT = Duration.ofSeconds(30);
    private static final Duration KEY_TTL_FLOOR = Duration.ofHours(1);
    private static final long POLL_MILLIS = 200;
    private static final int WRITE_TIMEOUT_MILLIS = 1000;
    private static final int READ_BACK_BATCH = 500;
    private static final Set<String> ANNOUNCED = Set.of("+sdown", "+odown", "+elected-leader", "+promoted-slave",
            SentinelEvent.SWITCH_MASTER);

    private final Cluster cluster;
    private final FailoverTest.Options options;
    private final int number;
    private final String keyPrefix;
    private final Progress progress;
    private final RedisNodes redis;
    private final String masterName;
    private final Expected expected;
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    private final List<String> notes = new ArrayList<>();
    private volatile long origin;
    private NodeContainer oldMaster;
    private String oldAddress;
    private WriteWorkload workload;
    private List<Write> workloadLog = List.of();
    private long probeNanos;
    private long rejoinedNanos;
    private long readyNanos;

    FailoverRound(Cluster cluster, FailoverTest.Options options, int number, String runId) {
        this.cluster = cluster;
        this.options = options;
        this.number = number;
        this.keyPrefix = "redisha:ft:" + runId + ":" + number + ":";
        this.progress = message -> cluster.progress().step("round " + number + ": " + message);
        this.redis = cluster.redis();
        this.masterName = redis.masterName();
        this.expected = Expected.of(cluster.topology());
    }

    Round run() {
        ClusterStatus before = repairStaleEntries(cluster.status(expected));
        Deployment deployment = cluster.deployment();
        oldMaster = currentMaster(before, deployment);
        oldAddress = oldMaster.networkAddress();
        if (!before.ready()) {
            progress.step("the deployment is not ready (" + String.join("; ", before.notReady()) + "); testing anyway");
        }
        List<NodeContainer> sentinels = deployment.sentinels().stream().filter(NodeContainer::isRunning).toList();
        if (options.writeRate() > 0) {
            workload = new WriteWorkload(redis.redisConfig(WRITE_TIMEOUT_MILLIS, WRITE_TIMEOUT_MILLIS),
                    redis.sentinelConfig(WRITE_TIMEOUT_MILLIS, WRITE_TIMEOUT_MILLIS),
                    sentinels.stream().map(Deployment::networkAddress).toList(), masterName, keyPrefix,
                    options.writeRate(), keyTtlSeconds());
        }
        // resources close in reverse: the fault is healed first, then the listeners stop
        try (SentinelEvents events = new SentinelEvents(redis.sentinelConfig(2000, 0), sentinels, this::onEvent);
             FaultGuard guard = new FaultGuard(options.fault(), cluster.engine(), oldMaster, deployment.network(),
                     progress, replicasWouldCopyARestartedMaster(before))) {
            events.start();
            List<String> deaf = events.awaitSubscribed(System.nanoTime() + SUBSCRIBE_WAIT.toNanos());
            if (deaf.size() == sentinels.size()) {
                throw new NotReadyException("cannot test a failover: no Sentinel accepted a subscription to its events ("
                        + String.join(", ", deaf) + ")", before, List.of());
            }
            if (!deaf.isEmpty()) {
                notes.add("no events from " + String.join(", ", deaf) + " (subscription failed)");
            }
            if (workload != null) {
                workload.start();
                // about a second of normal writes before the fault, to compare with
                if (!workload.awaitAcks(Math.max(3, options.writeRate()), System.nanoTime() + BASELINE_WAIT.toNanos())) {
                    notes.add("the writes were not being acknowledged normally before the fault");
                }
            }
            origin = System.nanoTime();
            guard.inject();
            long deadline = origin + options.timeout().toNanos();
            progress.step(options.fault().injectedVerb() + " " + oldMaster.name() + " (master); waiting up to "
                    + options.timeout().toSeconds() + " s for Sentinel to fail over");
            Optional<SentinelEvent> switched = events.await(
                    e -> e.isSwitchMaster() && e.concernsMaster(masterName, oldAddress), deadline);
            if (switched.isEmpty()) {
                return noFailover(before, events, guard);
            }
            // the kill fault must not be undone before Sentinel promoted another node: a restarted
            // master without persistence would hand its empty data set to the replicas
            guard.promoted();
            long healed = guard.heal();
            return afterSwitch(before, events, switched.get(), healed, sentinels, deadline);
        } finally {
            if (workload != null) {
                workload.stop();
            }
        }
    }

    /**
     * A Sentinel that lists a server twice (the old master under an unresolved name beside its
     * address) tells the replica it promotes to replicate from itself: such entries are reset
     * before the fault, so that the round tests Sentinel and not a known hazard.
     */
    private ClusterStatus repairStaleEntries(ClusterStatus status) {
        List<String> stale = staleEntries(status);
        if (stale.isEmpty()) {
            return status;
        }
        try {
            if (cluster.resetStaleSentinels(status, expected, System.nanoTime() + RECOVER_WAIT.toNanos())) {
                notes.add("stale Sentinel entries before the fault: " + String.join(", ", stale) + "; redisha ran"
                        + " SENTINEL RESET " + masterName + " on each, one Sentinel at a time");
                return cluster.status(expected);
            }
        } catch (NotReadyException e) {
            notes.add("could not reset the stale Sentinel entries before the fault: " + e.getMessage());
        }
        return status;
    }

    /** Why the master must stay down until another node is promoted, or null when it may restart at once. */
    private String replicasWouldCopyARestartedMaster(ClusterStatus before) {
        boolean replicaRuns = before.nodes().stream().anyMatch(n -> "replica".equals(n.role()));
        return replicaRuns ? Cluster.restartHazard(cluster.topology().persistence()) : null;
    }

    /** "sentinel-2 [:6379]" for each Sentinel that keeps stale entries. */
    private static List<String> staleEntries(ClusterStatus status) {
        return status.sentinels().stream().filter(s -> !s.stale().isEmpty()).map(s -> s.name() + " " + s.stale())
                .toList();
    }

    /** Stale entries are reset by the readiness wait; the report says that it happened and why. */
    private void noteStaleSentinelEntries() {
        List<String> found = staleEntries(cluster.status(expected));
        if (!found.isEmpty()) {
            notes.add("stale Sentinel entries after the fault (e.g. the old master recorded under a DNS name that did"
                    + " not resolve during it): " + String.join(", ", found) + "; redisha ran SENTINEL RESET "
                    + cluster.redis().masterName() + " on each, one Sentinel at a time");
        }
    }

    private Round afterSwitch(ClusterStatus before, SentinelEvents events, SentinelEvent switched, long healed,
                              List<NodeContainer> sentinels, long deadline) {
        String newAddress = switched.newMasterAddress();
        Deployment d = cluster.refresh();
        NodeContainer newMaster = d.byAddress(newAddress).orElse(null);
        String newName = newMaster == null ? newAddress : newMaster.name();
        List<Check> checks = new ArrayList<>();
        checks.add(new Check(CHECK_FAILOVER, Status.PASS, "Sentinel promoted " + newName + ": +switch-master from "
                + switched.sentinel() + " after " + Phases.seconds(switched.nanos() - origin) + " s"));
        checks.add(verifyNewMaster(newAddress, newName, sentinels, deadline));
        Check rejoined = newMaster == null
                ? new Check(CHECK_REJOINED, Status.FAIL, newAddress + " is not a node of this deployment")
                : awaitRejoin(newMaster, deadline);
        checks.add(rejoined);
        if (rejoined.status() == Status.PASS) {
            noteStaleSentinelEntries();
        }
        checks.add(awaitReady(deadline));
        long end = System.nanoTime();
        Writes writes = finishWrites();
        writesCheck(writes).ifPresent(checks::add);
        Phase firstWrite = Phases.firstWrite(workload == null ? List.of() : workloadLog, newAddress, origin,
                probeNanos == 0 ? null : Phases.ms(probeNanos - origin));
        List<Phase> phases = Phases.of(events.events(), origin, masterName, oldAddress, firstWrite,
                rejoinedNanos == 0 ? null : Phases.ms(rejoinedNanos - origin),
                readyNanos == 0 ? null : Phases.ms(readyNanos - origin));
        Check failed = checks.stream().filter(c -> c.status() == Status.FAIL).findFirst().orElse(null);
        return new Round(number, options.fault().label(), oldMaster.name(), newName,
                failed == null ? Outcome.PASS : Outcome.FAIL,
                failed == null ? null : failed.name() + ": " + failed.detail(),
                phases, Phases.ms(healed - origin), checks, writes, events(events), before.notReady(),
                List.copyOf(notes), Phases.ms(end - origin));
    }

    private Round noFailover(ClusterStatus before, SentinelEvents events, FaultGuard guard) {
        String reason = "no +switch-master within " + options.timeout().toSeconds() + " s: "
                + Phases.diagnosis(events.events(), origin, masterName, oldAddress,
                cluster.topology().sentinels().quorum(), expected.sentinels())
                + "; Sentinel events: "
                + Phases.summary(events.events(), origin, 12)
                + (before.ready() ? "" : "; before the fault: " + String.join("; ", before.notReady()));
        progress.step("FAIL: " + reason);
        long healed = guard.heal();
        long end = System.nanoTime();
        if (guard.leftDown()) {
            notes.add(guard.leftDownNote());
        } else {
            awaitMasterBack();
        }
        Writes writes = finishWrites();
        List<Check> checks = new ArrayList<>();
        checks.add(new Check(CHECK_FAILOVER, Status.FAIL, reason));
        for (String name : List.of(CHECK_NEW_MASTER, CHECK_REJOINED, CHECK_READY)) {
            checks.add(new Check(name, Status.SKIP, "no failover"));
        }
        writesCheck(writes).ifPresent(checks::add);
        List<Phase> phases = Phases.of(events.events(), origin, masterName, oldAddress,
                Phases.firstWrite(List.of(), "", origin, null), null, null);
        return new Round(number, options.fault().label(), oldMaster.name(), null, Outcome.NO_FAILOVER, reason, phases,
                Phases.ms(healed - origin), checks, writes, events(events), before.notReady(), List.copyOf(notes),
                Phases.ms(end - origin));
    }

    /** The master the Sentinels name; it must answer as master, or there is nothing to test. */
    private NodeContainer currentMaster(ClusterStatus status, Deployment deployment) {
        String hint = "; run redisha up to repair the deployment";
        if (status.master() == null) {
            throw new NotReadyException("cannot test a failover: there is no current master ("
                    + String.join("; ", status.notReady()) + ")" + hint, status, List.of());
        }
        if (status.sentinels().stream().noneMatch(s -> status.master().equals(s.master()))) {
            throw new NotReadyException("cannot test a failover: no reachable Sentinel names a master ("
                    + String.join("; ", status.notReady()) + ")" + hint, status, List.of());
        }
        NodeStatus node = status.nodes().stream().filter(n -> n.name().equals(status.master())).findFirst().orElse(null);
        if (node == null || !"master".equals(node.role())) {
            throw new NotReadyException("cannot test a failover: the Sentinels name " + status.master()
                    + " but it reports role:" + (node == null ? "unknown" : node.role()) + hint, status, List.of());
        }
        return deployment.nodes().stream().filter(n -> n.name().equals(status.master()) && n.isRunning()).findFirst()
                .orElseThrow(() -> new NotReadyException("cannot test a failover: master " + status.master()
                        + " is not running" + hint, status, List.of()));
    }

    /** The test's keys outlive any round (and are deleted after it), yet expire if a run is killed. */
    long keyTtlSeconds() {
        return Math.max(KEY_TTL_FLOOR.toSeconds(), 10 * options.timeout().toSeconds());
    }

    private void onEvent(SentinelEvent e) {
        if (e.isSwitchMaster() && masterName.equals(e.masterName()) && workload != null) {
            workload.masterSwitched(e.newMasterAddress());
        }
        long at = origin;
        if (at == 0 || e.nanos() < at) {
            return;
        }
        boolean aboutOld = e.concernsMaster(masterName, oldAddress);
        boolean milestone = aboutOld && ANNOUNCED.contains(e.type())
                && (e.isSwitchMaster() || !e.type().endsWith("down") || "master".equals(e.instanceType()));
        boolean abort = e.type().startsWith("-failover-abort") || e.type().equals("+tilt");
        if ((milestone || abort) && announced.add(e.type())) {
            progress.step(e.type() + " after " + Phases.seconds(e.nanos() - at) + " s (" + e.sentinel() + ")"
                    + (e.isSwitchMaster() ? ": " + e.masterAddress() + " -> " + e.newMasterAddress() : ""));
        }
    }

    /** The promoted node reports role:master and accepts a write, and every Sentinel names it. */
    private Check verifyNewMaster(String address, String name, List<NodeContainer> sentinels, long deadline) {
        String problem;
        while (true) {
            problem = newMasterProblem(address, name, sentinels);
            if (problem == null) {
                return new Check(CHECK_NEW_MASTER, Status.PASS, name + " reports role:master, accepted a write "
                        + Phases.seconds(probeNanos - origin) + " s after the fault, and all " + sentinels.size()
                        + " Sentinels name it");
            }
            if (System.nanoTime() > deadline) {
                return new Check(CHECK_NEW_MASTER, Status.FAIL, problem);
            }
            pause(POLL_MILLIS);
        }
    }

    private String newMasterProblem(String address, String name, List<NodeContainer> sentinels) {
        try (Jedis jedis = new Jedis(HostAndPort.from(address), redis.redisConfig())) {
            ReplicationInfo info = ReplicationInfo.parse(jedis.info("replication"));
            if (!info.isMaster()) {
                return name + " reports role:" + info.role();
            }
            if (probeNanos == 0) {
                String key = keyPrefix + "probe";
                String reply = jedis.set(key, "probe", SetParams.setParams().ex(keyTtlSeconds()));
                if (!"OK".equals(reply)) {
                    return name + " answered the probe write with " + reply;
                }
                probeNanos = System.nanoTime();
                jedis.del(key);
            }
        } catch (JedisException e) {
            return name + ": " + e.getMessage();
        }
        for (NodeContainer sentinel : sentinels) {
            try (Jedis jedis = redis.sentinel(Deployment.networkAddress(sentinel))) {
                List<String> named = jedis.sentinelGetMasterAddrByName(masterName);
                String said = named == null || named.size() != 2 ? "no master" : named.get(0) + ":" + named.get(1);
                if (!address.equals(said)) {
                    return sentinel.name() + " names " + cluster.deployment().byAddress(said).map(NodeContainer::name)
                            .orElse(said) + ", not " + name;
                }
            } catch (JedisException e) {
                return sentinel.name() + " cannot be asked: " + e.getMessage();
            }
        }
        return null;
    }

    /** The healed old master replicates from the new one with its link up. */
    private Check awaitRejoin(NodeContainer newMaster, long deadline) {
        String problem;
        while (true) {
            problem = rejoinProblem(newMaster);
            if (problem == null) {
                rejoinedNanos = System.nanoTime();
                String detail = oldMaster.name() + " replicates from " + newMaster.name() + " with its link up, "
                        + Phases.seconds(rejoinedNanos - origin) + " s after the fault";
                progress.step(detail);
                return new Check(CHECK_REJOINED, Status.PASS, detail);
            }
            if (System.nanoTime() > deadline) {
                return new Check(CHECK_REJOINED, Status.FAIL, problem + " " + options.timeout().toSeconds()
                        + " s after the fault");
            }
            pause(POLL_MILLIS);
        }
    }

    private String rejoinProblem(NodeContainer newMaster) {
        // a restarted or reconnected container publishes a new port: read the engine again
        Deployment d = cluster.refresh();
        NodeContainer node = d.find(oldMaster.service(), oldMaster.index()).orElse(null);
        if (node == null) {
            return oldMaster.name() + " no longer exists";
        }
        if (!node.isRunning()) {
            return oldMaster.name() + " is " + node.state().label();
        }
        ReplicationInfo info;
        try {
            info = redis.replication(Deployment.networkAddress(node));
        } catch (JedisException e) {
            return oldMaster.name() + " cannot be asked: " + e.getMessage();
        }
        if (info.isMaster()) {
            return oldMaster.name() + " still reports role:master";
        }
        String from = d.byAddress(info.masterHost(), info.masterPort()).map(NodeContainer::name)
                .orElse(info.masterHost() + ":" + info.masterPort());
        if (!from.equals(newMaster.name())) {
            return oldMaster.name() + " replicates from " + from + ", not " + newMaster.name();
        }
        if (!info.linkUp()) {
            return oldMaster.name() + "'s replication link to " + newMaster.name() + " is " + info.masterLinkStatus();
        }
        return null;
    }

    private Check awaitReady(long deadline) {
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

    /** Without a failover: waits for the healed master to answer again, so the writes can be read back. */
    private void awaitMasterBack() {
        long deadline = System.nanoTime() + RECOVER_WAIT.toNanos();
        while (true) {
            Deployment d = cluster.refresh();
            NodeContainer node = d.find(oldMaster.service(), oldMaster.index()).orElse(null);
            try {
                if (node != null && node.isRunning() && redis.replication(Deployment.networkAddress(node)).isMaster()) {
                    return;
                }
            } catch (JedisException e) {
                // not yet
            }
            if (System.nanoTime() > deadline) {
                notes.add(oldMaster.name() + " did not answer as master within " + RECOVER_WAIT.toSeconds()
                        + " s after the fault was undone");
                return;
            }
            pause(POLL_MILLIS);
        }
    }

    /** Stops the writes, reads them back from the master Sentinel names now, and deletes them. */
    private Writes finishWrites() {
        if (workload == null) {
            return null;
        }
        workloadLog = workload.stop();
        Map<String, String> readBack = null;
        String error = null;
        try {
            readBack = readBack(workloadLog);
        } catch (JedisException | IllegalStateException e) {
            error = "could not read the writes back: " + e.getMessage();
            notes.add(error);
        }
        Deployment d = cluster.deployment();
        return WriteAccounting.account(options.writeRate(), workloadLog, readBack, error, origin,
                workload.startNanos(), workload.stopNanos(),
                address -> d.byAddress(address).map(NodeContainer::name).orElse(address));
    }

    private Map<String, String> readBack(List<Write> log) {
        HostAndPort master = masterNamedBySentinel();
        Map<String, String> values = new HashMap<>();
        try (Jedis jedis = new Jedis(master, redis.redisConfig(2000, 10_000))) {
            List<String> keys = WriteAccounting.keysToRead(log);
            for (int i = 0; i < keys.size(); i += READ_BACK_BATCH) {
                List<String> batch = keys.subList(i, Math.min(keys.size(), i + READ_BACK_BATCH));
                List<String> found = jedis.mget(batch.toArray(String[]::new));
                for (int j = 0; j < batch.size(); j++) {
                    values.put(batch.get(j), found.get(j));
                }
            }
            List<String> all = log.stream().map(Write::key).toList();
            try {
                for (int i = 0; i < all.size(); i += READ_BACK_BATCH) {
                    jedis.del(all.subList(i, Math.min(all.size(), i + READ_BACK_BATCH)).toArray(String[]::new));
                }
            } catch (JedisException e) {
                notes.add("could not delete the test keys " + keyPrefix + "*: " + e.getMessage());
            }
        }
        return values;
    }

    private HostAndPort masterNamedBySentinel() {
        for (NodeContainer sentinel : cluster.refresh().sentinels()) {
            if (!sentinel.isRunning()) {
                continue;
            }
            try (Jedis jedis = redis.sentinel(Deployment.networkAddress(sentinel))) {
                List<String> named = jedis.sentinelGetMasterAddrByName(masterName);
                if (named != null && named.size() == 2) {
                    return new HostAndPort(named.get(0), Integer.parseInt(named.get(1)));
                }
            } catch (JedisException e) {
                // ask the next one
            }
        }
        throw new IllegalStateException("no Sentinel named a master");
    }

    private Optional<Check> writesCheck(Writes writes) {
        if (writes == null || options.maxLost() == null) {
            return Optional.empty();
        }
        if (writes.lost() == null) {
            return Optional.of(new Check(CHECK_WRITES, Status.FAIL, "lost writes unknown: " + writes.verifyError()));
        }
        String detail = writes.lost() + " of " + writes.acknowledged() + " acknowledged writes lost (--max-lost "
                + options.maxLost() + ")";
        return Optional.of(new Check(CHECK_WRITES, writes.lost() <= options.maxLost() ? Status.PASS : Status.FAIL,
                detail));
    }

    private List<Event> events(SentinelEvents events) {
        return events.events().stream().sorted(Comparator.comparingLong(SentinelEvent::nanos))
                .map(e -> new Event(e.sentinel(), e.type(), Phases.ms(e.nanos() - origin), e.message())).toList();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
