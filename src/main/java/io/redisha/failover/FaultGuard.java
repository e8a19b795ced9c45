package io.redisha.failover;

import io.redisha.cluster.Progress;
import io.redisha.docker.DockerEngine;
import io.redisha.docker.NodeContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one injected fault until it is healed: {@link #close()} heals it whatever happened, and a
 * JVM shutdown hook heals it on Ctrl-C, so nothing redisha broke stays broken when it exits.
 */
final class FaultGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultGuard.class);

    private final Fault fault;
    private final DockerEngine engine;
    private final NodeContainer target;
    private final String network;
    private final Progress progress;
    private final Thread hook;
    private boolean injected;
    private boolean healed;
    private long healedNanos;

    FaultGuard(Fault fault, DockerEngine engine, NodeContainer target, String network, Progress progress) {
        this.fault = fault;
        this.engine = engine;
        this.target = target;
        this.network = network;
        this.progress = progress;
        this.hook = new Thread(this::healOnExit, "redisha-heal-" + target.name());
    }

    /** Registers the shutdown hook first, then breaks the target. */
    synchronized void inject() {
        Runtime.getRuntime().addShutdownHook(hook);
        injected = true;
        fault.inject(engine, target, network);
    }

    /** Undoes the fault once; later calls do nothing. Returns {@link System#nanoTime()} of the healing. */
    synchronized long heal() {
        if (injected && !healed) {
            boolean acted = fault.heal(engine, target, network);
            healed = true;
            healedNanos = System.nanoTime();
            if (acted) {
                progress.step(fault.healedVerb() + " " + target.name());
            }
        }
        return healedNanos;
    }

    synchronized boolean isHealed() {
        return healed;
    }

    private void healOnExit() {
        try {
            heal();
        } catch (RuntimeException e) {
            // the command's engine may already be closed: heal through a connection of our own
            try (DockerEngine own = DockerEngine.connect()) {
                synchronized (this) {
                    if (!healed) {
                        fault.heal(own, target, network);
                        healed = true;
                    }
                }
            } catch (RuntimeException again) {
                again.addSuppressed(e);
                log.error("could not undo the {} fault on {}: {}", fault.label(), target.name(), again.getMessage());
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
