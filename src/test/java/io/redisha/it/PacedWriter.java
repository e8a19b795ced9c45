package io.redisha.it;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application's writes at a steady 50 per second, on a thread of its own, each counted as
 * acknowledged or failed, until stopped: what the tests of changes made in place (password
 * rotation, certificate renewal) run beside the change.
 */
final class PacedWriter implements AutoCloseable {
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1) / 50;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final Thread thread;

    private PacedWriter(String name, LongConsumer write) {
        thread = new Thread(() -> {
            long next = System.nanoTime();
            while (!stop.get()) {
                long n = writes.incrementAndGet();
                try {
                    write.accept(n);
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                }
                next += PERIOD_NANOS;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, name);
    }

    /** Starts writing: {@code write} makes write number n (1, 2, ...); what it throws counts as a failed write. */
    static PacedWriter start(String name, LongConsumer write) {
        PacedWriter writer = new PacedWriter(name, write);
        writer.thread.start();
        return writer;
    }

    /** Stops after the write under way. */
    void stop() throws InterruptedException {
        stop.set(true);
        thread.join(5000);
    }

    long writes() {
        return writes.get();
    }

    long failed() {
        return failed.get();
    }

    Throwable firstFailure() {
        return firstFailure.get();
    }

    /** Stops, then requires every write to have succeeded, and more than {@code atLeast} of them. */
    void assertNoneFailed(String during, long atLeast) throws InterruptedException {
        stop();
        assertEquals(0, failed.get(), () -> "writes that failed during " + during + ", the first: " + firstFailure.get());
        assertTrue(writes.get() > atLeast, "writes during " + during + ": " + writes.get());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
