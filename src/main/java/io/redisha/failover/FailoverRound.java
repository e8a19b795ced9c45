package io.redisha.failover;

import io.redisha.sentinel.SentinelEvent;
import io.redisha.sentinel.SentinelEvents;
import io.redisha.backend.FaultKind;
import io.redisha.backend.Node;
import io.redisha.cluster.Cluster;
import io.redisha.cluster.ClusterStatus;
import io.redisha.cluster.Deployment;
import io.redisha.cluster.Expected;
import io.redisha.cluster.NodeStatus;
import io.redisha.cluster.NotReadyException;
import io.redisha.cluster.Progress;
import io.redisha.wait.Await;
import io.redisha.failover.FailoverReport.Check;
import io.redisha.failover.FailoverReport.Event;
import io.redisha.failover.FailoverReport.Outcome;
import io.redisha.failover.FailoverReport.Phase;
import io.redisha.failover.FailoverReport.Round;
import io.redisha.failover.FailoverReport.Status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One round's script: find the master through Sentinel, listen to every Sentinel, start the writes,
 * inject the fault, wait for {@code +switch-master}, check the new master, heal, check the old
 * master's return and the deployment ready again, then account for the writes. The checks live in
 * {@link RoundChecks}, the writes in {@link RoundWrites}.
 */
final class FailoverRound {
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(10);
    private static final Duration RECOVER_WAIT = Duration.ofSeconds(30);

    private final Cluster cluster;
    private final FailoverOptions options;
    private final FaultKind fault;
    private final int number;
    private final String keyPrefix;
    private final Progress progress;
    private final String masterName;
    private final Expected expected;
    private final List<String> notes = new ArrayList<>();
    private final RoundAnnouncer announcer;
    private final RoundWrites writes;
    private final RoundApplication application;
    /** The keys counted across a restart-fast fault; null for other faults. */
    private final KeptKeys kept;
    private long origin;
    private Node oldMaster;
    private String oldAddress;

    FailoverRound(Cluster cluster, FailoverOptions options, int number, String runId) {
        this.cluster = cluster;
        this.options = options;
        this.fault = options.faultOf(number);
        this.number = number;
        this.keyPrefix = "redisha:ft:" + runId + ":" + number + ":";
        this.progress = message -> cluster.progress().step("round " + number + ": " + message);
        this.masterName = cluster.redis().masterName();
        this.expected = Expected.of(cluster.topology());
        this.announcer = new RoundAnnouncer(progress, masterName);
        this.writes = new RoundWrites(cluster.redis(), options, keyPrefix, cluster::refresh, notes);
        this.application = new RoundApplication(options.whileCommand(), progress);
        this.kept = fault.isRestartFast() ? new KeptKeys(cluster.redis(), keyPrefix + "kept:", (int) writes.keyTtlSeconds()) : null;
    }

    Round run() {
        ClusterStatus before = repairStaleEntries(cluster.status(expected));
        Deployment deployment = cluster.deployment();
        oldMaster = currentMaster(before, deployment);
        oldAddress = oldMaster.networkAddress();
        if (!before.ready()) {
            progress.step("the deployment is not ready (" + String.join("; ", before.notReady()) + "); testing anyway");
        }
        List<Node> sentinels = deployment.sentinels().stream().filter(Node::isRunning).toList();
        // resources close in reverse: the fault is healed first, then the listeners stop
        try (SentinelEvents events = new SentinelEvents(cluster.redis().sentinelConfig(2000, 0), sentinels, this::onEvent);
             FaultGuard guard = new FaultGuard(fault, cluster.backend(), oldMaster, progress,
                     replicasWouldCopyARestartedMaster(before))) {
            events.start();
            List<String> deaf = events.awaitSubscribed(System.nanoTime() + SUBSCRIBE_WAIT.toNanos());
            if (deaf.size() == sentinels.size()) {
                throw new NotReadyException("cannot test a failover: no Sentinel accepted a subscription to its events ("
                        + String.join(", ", deaf) + ")");
            }
            if (!deaf.isEmpty()) {
                notes.add("no events from " + String.join(", ", deaf) + " (subscription failed)");
            }
            if (options.whileCommand() != null) {
                application.start(RoundApplication.environment(cluster, options.whileCommand(), number,
                        fault.name()));
            }
            if (kept != null) {
                kept.write(oldAddress, (int) before.nodes().stream().filter(n -> "replica".equals(n.role())).count(),
                        cluster.backend(), oldMaster);
                progress.step(KeptKeys.COUNT + " keys written to " + oldMaster.name()
                        + " and acknowledged by its replicas; they are read back after the fault");
            }
            writes.start(sentinels, oldMaster);
            origin = System.nanoTime();
            announcer.faultInjected(origin, oldAddress);
            guard.inject();
            long deadline = origin + options.timeout().toNanos();
            progress.step(fault.injected() + " " + oldMaster.name() + " (master); waiting up to "
                    + options.timeout().toSeconds() + " s for Sentinel to fail over");
            Optional<SentinelEvent> switched = events.await(
                    e -> e.isSwitchMaster() && e.concernsMaster(masterName, oldAddress), deadline);
            if (switched.isEmpty()) {
                return noFailover(before, events, guard);
            }
            // the kill fault must not be undone before Sentinel promoted another node: a restarted
            // master without persistence would hand its empty data set to the replicas
            guard.promoted();
            if (fault.isPartition()) {
                holdPartition();
            }
            Long undone = heal(guard);
            return afterSwitch(before, events, switched.get(), undone, sentinels, deadline);
        } finally {
            writes.stop();
            application.close();
        }
    }

    /** The partition lasts its set time from the fault, while both sides take writes. */
    private void holdPartition() {
        Duration length = partitionLength();
        long end = origin + length.toNanos();
        if (end - System.nanoTime() > 0) {
            progress.step("the partition lasts " + Phases.seconds(length.toNanos()) + " s from the fault; "
                    + oldMaster.name() + " keeps serving the clients on its side");
            // rounded up: a sleep counts whole milliseconds
            Await.sleep(Await.remaining(end).plusMillis(1));
        }
    }

    private Duration partitionLength() {
        return options.partitionLength(cluster.topology().sentinels().downAfterMillis(),
                cluster.topology().sentinels().failoverTimeoutMillis());
    }

    private void onEvent(SentinelEvent e) {
        if (e.isSwitchMaster() && masterName.equals(e.masterName())) {
            writes.masterSwitched(e.newMasterAddress());
        }
        announcer.on(e);
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

    /** Undoes the fault; returns when it did, or null when there was nothing to undo (a note says why). */
    private Long heal(FaultGuard guard) {
        guard.heal();
        if (guard.nothingToUndoNote() != null) {
            notes.add(guard.nothingToUndoNote());
        }
        return guard.undoneAt();
    }

    private Round afterSwitch(ClusterStatus before, SentinelEvents events, SentinelEvent switched, Long undone,
                              List<Node> sentinels, long deadline) {
        String newAddress = switched.newMasterAddress();
        Node newMaster = cluster.refresh().byAddress(newAddress).orElse(null);
        String newName = newMaster == null ? newAddress : newMaster.name();
        RoundChecks verify = new RoundChecks(cluster, expected, progress, oldMaster, origin, keyPrefix + "probe",
                writes.keyTtlSeconds(), options.timeout().toSeconds());
        List<Check> checks = new ArrayList<>();
        checks.add(new Check(RoundChecks.CHECK_FAILOVER, Status.PASS, "Sentinel promoted " + newName + ": +switch-master from "
                + switched.sentinel() + " after " + Phases.seconds(switched.nanos() - origin) + " s"));
        checks.add(verify.newMaster(newAddress, newName, sentinels, deadline));
        Check rejoined = newMaster == null
                ? new Check(RoundChecks.CHECK_REJOINED, Status.FAIL, newAddress + " is not a node of this deployment")
                : verify.rejoined(newMaster, deadline);
        checks.add(rejoined);
        if (rejoined.status() == Status.PASS) {
            noteStaleSentinelEntries();
        }
        checks.add(verify.ready(deadline));
        if (kept != null) {
            checks.add(kept.check(newAddress, newName, cluster.backend(), oldMaster));
        }
        application.finish(origin).ifPresent(checks::add);
        long end = System.nanoTime();
        RoundWrites.Accounted accounted = writes.finish(origin, oldMaster.name(), switched.nanos());
        writes.check(accounted == null ? null : accounted.sentinel()).ifPresent(checks::add);
        Phase firstWrite = Phases.firstWrite(writes.log(), newAddress, origin, verify.probeMs());
        List<Phase> phases = Phases.of(events.events(), origin, masterName, oldAddress, firstWrite,
                verify.rejoinedMs(), verify.readyMs());
        Check failed = checks.stream().filter(c -> c.status() == Status.FAIL).findFirst().orElse(null);
        return round(newName, failed == null ? Outcome.PASS : Outcome.FAIL,
                failed == null ? null : failed.name() + ": " + failed.detail(), phases, undone, checks, accounted,
                events, before, end);
    }

    /** Stale entries are reset by the readiness wait; the report says that it happened and why. */
    private void noteStaleSentinelEntries() {
        List<String> found = staleEntries(cluster.status(expected));
        if (!found.isEmpty()) {
            notes.add("stale Sentinel entries after the fault (e.g. the old master recorded under a DNS name that did"
                    + " not resolve during it): " + String.join(", ", found) + "; redisha ran SENTINEL RESET "
                    + masterName + " on each, one Sentinel at a time");
        }
    }

    private Round noFailover(ClusterStatus before, SentinelEvents events, FaultGuard guard) {
        String reason = "no +switch-master within " + options.timeout().toSeconds() + " s: "
                + Phases.diagnosis(events.events(), origin, masterName, oldAddress,
                cluster.topology().sentinels().quorum(), expected.sentinels())
                + "; Sentinel events: "
                + Phases.summary(events.events(), origin, 12)
                + (before.ready() ? "" : "; before the fault: " + String.join("; ", before.notReady()));
        progress.step("FAIL: " + reason);
        Long undone = heal(guard);
        long end = System.nanoTime();
        if (guard.leftDown()) {
            notes.add(guard.leftDownNote());
        } else {
            new RoundChecks(cluster, expected, progress, oldMaster, origin, keyPrefix + "probe",
                    writes.keyTtlSeconds(), options.timeout().toSeconds())
                    .masterBack(undone == null ? "after the wait for a failover" : "after the fault was undone")
                    .ifPresent(notes::add);
        }
        Optional<Check> applicationCheck = application.finish(origin);
        RoundWrites.Accounted accounted = writes.finish(origin, oldMaster.name(), null);
        List<Check> checks = new ArrayList<>();
        checks.add(new Check(RoundChecks.CHECK_FAILOVER, Status.FAIL, reason));
        for (String name : List.of(RoundChecks.CHECK_NEW_MASTER, RoundChecks.CHECK_REJOINED, RoundChecks.CHECK_READY)) {
            checks.add(new Check(name, Status.SKIP, "no failover"));
        }
        if (kept != null) {
            checks.add(kept.check(oldAddress, oldMaster.name(), cluster.backend(), oldMaster));
        }
        applicationCheck.ifPresent(checks::add);
        writes.check(accounted == null ? null : accounted.sentinel()).ifPresent(checks::add);
        List<Phase> phases = Phases.of(events.events(), origin, masterName, oldAddress,
                Phases.firstWrite(List.of(), "", origin, null), null, null);
        return round(null, Outcome.NO_FAILOVER, reason, phases, undone, checks, accounted, events, before, end);
    }

    private Round round(String newMaster, Outcome outcome, String reason, List<Phase> phases, Long undone,
                        List<Check> checks, RoundWrites.Accounted accounted, SentinelEvents events, ClusterStatus before,
                        long end) {
        List<Event> timeline = events.events().stream().sorted(Comparator.comparingLong(SentinelEvent::nanos))
                .map(e -> new Event(e.sentinel(), e.type(), Phases.ms(e.nanos() - origin), e.message())).toList();
        return new Round(number, fault.name(), fault.injected(), oldMaster.name(), newMaster,
                outcome, reason, phases, undone == null ? null : Phases.ms(undone - origin), checks,
                accounted == null ? null : accounted.sentinel(), timeline, before.notReady(), List.copyOf(notes),
                Phases.ms(end - origin), application.report(origin), accounted == null ? null : accounted.sticky(),
                undone == null ? null : fault.healed());
    }

    /** The master the Sentinels name; it must answer as master, or there is nothing to test. */
    private Node currentMaster(ClusterStatus status, Deployment deployment) {
        String hint = "; run redisha up to repair the deployment";
        if (status.master() == null) {
            throw new NotReadyException("cannot test a failover: there is no current master ("
                    + String.join("; ", status.notReady()) + ")" + hint);
        }
        if (status.sentinels().stream().noneMatch(s -> status.master().equals(s.master()))) {
            throw new NotReadyException("cannot test a failover: no reachable Sentinel names a master ("
                    + String.join("; ", status.notReady()) + ")" + hint);
        }
        NodeStatus node = status.nodes().stream().filter(n -> n.name().equals(status.master())).findFirst().orElse(null);
        if (node == null || !"master".equals(node.role())) {
            throw new NotReadyException("cannot test a failover: the Sentinels name " + status.master()
                    + " but it reports role:" + (node == null ? "unknown" : node.role()) + hint);
        }
        return deployment.named(status.master()).filter(Node::isRunning)
                .orElseThrow(() -> new NotReadyException("cannot test a failover: master " + status.master()
                        + " is not running" + hint));
    }
}
