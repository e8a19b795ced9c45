package io.redisha.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The orchestrator's thread pool: independent engine calls and node probes run in parallel. */
final class Workers implements AutoCloseable {
    private final ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "redisha-worker");
        t.setDaemon(true);
        return t;
    });

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
