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
    private Long undoneNanos;
    private String nothingToUndo;

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

    /**
     * Undoes the fault once; later calls do nothing. Nothing is undone when the target must stay
     * down, or when the fault is already over (restart-fast is over once the engine restarted it).
     */
    synchronized void heal() {
        if (injected && !healed) {
            healed = true;
            if (mustStayDown()) {
                leftDown = true;
                progress.step(leftDownNote());
                return;
            }
            long started = System.nanoTime();
            if (backend.heal(fault, target)) {
                undoneNanos = started;
                progress.step(fault.healed() + " " + target.name());
            } else {
                nothingToUndo = fault.isRestartFast()
                        ? "nothing to undo: the engine had started " + target.name() + " again at once (restart-fast)"
                        : "nothing to undo: " + target.name() + " was no longer " + fault.injected()
                                + " when redisha came to undo the fault";
            }
        }
    }

    /** When {@link #heal} undid the fault ({@link System#nanoTime()} as it began), or null when it undid nothing. */
    synchronized Long undoneAt() {
        return undoneNanos;
    }

    /** Why {@link #heal} found nothing to undo, for the report's notes; null when it undid the fault or left the target down. */
    synchronized String nothingToUndoNote() {
        return nothingToUndo;
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
