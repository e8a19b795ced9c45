package io.redisha.failover;

import io.redisha.sentinel.SentinelEvent;
import io.redisha.cluster.Progress;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the user, as they happen, the Sentinel events that mark a round's progress: the first of
 * each milestone about the old master, and any aborted failover or tilt.
 */
final class RoundAnnouncer {
    private static final Set<String> MILESTONES = Set.of("+sdown", "+odown", "+elected-leader", "+promoted-slave",
            SentinelEvent.SWITCH_MASTER);

    private final Progress progress;
    private final String masterName;
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    private volatile long origin;
    private volatile String oldAddress;

    RoundAnnouncer(Progress progress, String masterName) {
        this.progress = progress;
        this.masterName = masterName;
    }

    /** From now on, events about the master at that address are announced, timed from {@code origin}. */
    void faultInjected(long origin, String oldAddress) {
        this.oldAddress = oldAddress;
        this.origin = origin;
    }

    void on(SentinelEvent e) {
        long at = origin;
        if (at == 0 || e.nanos() < at) {
            return;
        }
        boolean aboutOld = e.concernsMaster(masterName, oldAddress);
        boolean milestone = aboutOld && MILESTONES.contains(e.type())
                && (e.isSwitchMaster() || !e.type().endsWith("down") || "master".equals(e.instanceType()));
        boolean abort = e.type().startsWith("-failover-abort") || e.type().equals("+tilt");
        if ((milestone || abort) && announced.add(e.type())) {
            progress.step(e.type() + " after " + Phases.seconds(e.nanos() - at) + " s (" + e.sentinel() + ")"
                    + (e.isSwitchMaster() ? ": " + e.masterAddress() + " -> " + e.newMasterAddress() : ""));
        }
    }
}
