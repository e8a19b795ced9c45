package io.redisha.wait;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * redisha's one way to wait: look, and look again every interval until the thing is done or the
 * deadline passes. It never sleeps to guess; every wait observes something and returns what is
 * still missing when time runs out.
 */
public final class Await {
    /** How often redisha looks again at Redis, Sentinel or the engine. */
    public static final Duration POLL = Duration.ofMillis(250);

    private final Duration every;
    private final Consumer<String> onChange;

    private Await(Duration every, Consumer<String> onChange) {
        this.every = every;
        this.onChange = onChange;
    }

    /** Looks every {@link #POLL}, telling nobody what it waits for. */
    public static Await quietly() {
        return new Await(POLL, missing -> { });
    }

    /** Looks every {@link #POLL} and passes each new reason for waiting to {@code onChange} (once per change). */
    public static Await reporting(Consumer<String> onChange) {
        return new Await(POLL, onChange);
    }

    public Await every(Duration interval) {
        return new Await(interval, onChange);
    }

    /**
     * Looks until done or past the deadline (always at least once). Returns the last look: done, or
     * waiting with what was still missing at the deadline.
     *
     * @param deadlineNanos a {@link System#nanoTime()} value
     */
    public <T> Poll<T> until(long deadlineNanos, Supplier<Poll<T>> look) {
        String reported = null;
        while (true) {
            Poll<T> poll = look.get();
            if (poll.done() || System.nanoTime() - deadlineNanos >= 0) {
                return poll;
            }
            if (!Objects.equals(poll.missing(), reported)) {
                reported = poll.missing();
                onChange.accept(reported);
            }
            sleep(every);
        }
    }

    /** Sleeps between two looks; an interrupt is restored and ends the wait. */
    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException cancelled = new CancellationException("interrupted while waiting");
            cancelled.initCause(e);
            throw cancelled;
        }
    }

    /** A deadline {@code d} from now, as a {@link System#nanoTime()} value. */
    public static long deadline(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    /** The time left until a deadline, never negative. */
    public static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
