package io.redisha.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The orchestrator's thread pool: independent engine calls and node probes run in parallel. */
final class Workers implements AutoCloseable {
    /** Engine calls and probes mostly wait on the engine or the network: more than the cores. */
    private final ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "redisha-worker");
        t.setDaemon(true);
        return t;
    });

    /** Runs a long task on a thread of its own, so that it never waits behind (or holds up) the pool's. */
    static void daemon(Runnable task) {
        Thread t = new Thread(task, "redisha-task");
        t.setDaemon(true);
        t.start();
    }

    ExecutorService executor() {
        return executor;
    }

    /** Runs the actions in parallel; throws the first failure, the others suppressed in it. */
    void runAll(List<Runnable> actions) {
        List<CompletableFuture<Void>> futures = actions.stream()
                .map(a -> CompletableFuture.runAsync(a, executor)).toList();
        RuntimeException first = null;
        for (CompletableFuture<Void> f : futures) {
            try {
                f.join();
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                if (first == null) {
                    first = cause;
                } else {
                    first.addSuppressed(cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
