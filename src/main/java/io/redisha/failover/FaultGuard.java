package io.redisha.failover;

import io.redisha.backend.Backend;
import io.redisha.backend.FaultKind;
import io.redisha.backend.Node;
import io.redisha.cluster.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one injected fault until it is healed: {@link #close()} heals it whatever happened, and a
 * JVM shutdown hook heals it on Ctrl-C, so nothing redisha broke stays broken when it exits.
 */
final class FaultGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultGuard.class);

    private final FaultKind fault;
    private final Backend backend;
    private final Node target;
    private final Progress progress;
    private final Thread hook;
    private final String keepDownReason;
    private boolean injected;
    private boolean healed;
    private boolean promoted;
    private boolean leftDown;
    private long healedNanos;

    /**
     * @param keepDownReason when not null, the target is a master that must stay down until Sentinel
     *                       has promoted another node (why, for the messages): a stopped or killed
     *                       master without an append-only file would come back with an empty or old
     *                       data set, and its replicas would copy it
     */
    FaultGuard(FaultKind fault, Backend backend, Node target, Progress progress, String keepDownReason) {
        this.fault = fault;
        this.backend = backend;
        this.target = target;
        this.progress = progress;
        this.keepDownReason = fault.restarts() ? keepDownReason : null;
        this.hook = new Thread(this::healOnExit, "redisha-heal-" + target.name());
    }

    /** Sentinel has promoted another node: restarting the target is safe now. */
    synchronized void promoted() {
        promoted = true;
    }

    /** Whether {@link #heal} left the target down, since no other node had been promoted. */
    synchronized boolean leftDown() {
        return leftDown;
    }

    /** What to tell the user about a target left down; null when it was not. */
    synchronized String leftDownNote() {
        return leftDown ? target.name() + " was left " + fault.injected() + ": it is the master, no other node was"
                + " promoted, and " + keepDownReason + "; `redisha up` starts it once Sentinel has promoted a replica"
                : null;
    }

    private boolean mustStayDown() {
        return keepDownReason != null && !promoted;
    }

    /** Registers the shutdown hook first, then breaks the target. */
    synchronized void inject() {
        Runtime.getRuntime().addShutdownHook(hook);
        injected = true;
        backend.inject(fault, target);
    }

    /** Undoes the fault once; later calls do nothing. Returns {@link System#nanoTime()} of the healing. */
    synchronized long heal() {
        if (injected && !healed) {
            healed = true;
            healedNanos = System.nanoTime();
            if (mustStayDown()) {
                leftDown = true;
                progress.step(leftDownNote());
                return healedNanos;
            }
            if (backend.heal(fault, target)) {
                progress.step(fault.healed() + " " + target.name());
            }
        }
        return healedNanos;
    }

    private void healOnExit() {
        try {
            heal();
        } catch (RuntimeException e) {
            // the command's backend may already be closed: heal through a connection of our own
            try (Backend own = backend.reopen()) {
                synchronized (this) {
                    if (!mustStayDown()) {
                        own.heal(fault, target);
                    }
                }
            } catch (RuntimeException again) {
                again.addSuppressed(e);
                log.error("could not undo the {} fault on {}: {}", fault.name(), target.name(), again.getMessage());
            }
        }
    }

    @Override
    public void close() {
        try {
            heal();
        } finally {
            if (injected) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down; the hook heals (idempotently) as well
                }
            }
        }
    }
}
