package io.redisha.sentinel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sentinel's events from every Sentinel as one stream: the same event (type and message, see {@link #key}) told by
 * several Sentinels within {@code window} is one {@link Merged} event with its witnesses. An event
 * is passed on once every Sentinel has told it, or when the window since the first has passed
 * ({@link #flushDue}), in the order of first receipt.
 */
public final class MergedEvents {
    /**
     * @param time      when the first Sentinel told it (this machine's clock)
     * @param witnesses the Sentinels that told it, in order of receipt
     */
    public record Merged(Instant time, String type, String message, List<String> witnesses) {
        public Merged {
            witnesses = List.copyOf(witnesses);
        }
    }

    private record Pending(Instant time, long firstNanos, String type, String message, List<String> witnesses) {
    }

    /** A Sentinel telling an event this many windows after the first is a late witness, not a new event. */
    private static final int LATE = 6;

    private final int sentinels;
    private final long windowNanos;
    private final Consumer<Merged> out;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    /** Events already passed on, by key, with when they were first told: a late witness is not a new event. */
    private final Map<String, Long> passed = new LinkedHashMap<>();

    /**
     * @param sentinels how many Sentinels are listened to: an event told by all of them is passed on at once
     * @param window    how long to wait for more witnesses after the first
     */
    public MergedEvents(int sentinels, java.time.Duration window, Consumer<Merged> out) {
        this.sentinels = Math.max(1, sentinels);
        this.windowNanos = window.toNanos();
        this.out = out;
    }

    /** Records one Sentinel's event (any thread). */
    public void add(SentinelEvent event) {
        List<Merged> ready = new ArrayList<>();
        synchronized (this) {
            String key = key(event);
            Long told = passed.get(key);
            if (told != null && event.nanos() - told < LATE * windowNanos) {
                return; // a late witness of an event already passed on, not a new one
            }
            Pending p = pending.computeIfAbsent(key, k -> new Pending(Instant.now(), event.nanos(), event.type(),
                    event.message(), new ArrayList<>()));
            if (!p.witnesses().contains(event.sentinel())) {
                p.witnesses().add(event.sentinel());
            }
            if (p.witnesses().size() >= sentinels) {
                collectUpTo(key, ready);
            }
        }
        ready.forEach(out);
    }

    /** Passes on every event whose window has passed (call it periodically). */
    public void flushDue(long nowNanos) {
        List<Merged> ready = new ArrayList<>();
        synchronized (this) {
            String last = null;
            for (Map.Entry<String, Pending> e : pending.entrySet()) {
                if (nowNanos - e.getValue().firstNanos() >= windowNanos) {
                    last = e.getKey();
                }
            }
            if (last != null) {
                collectUpTo(last, ready);
            }
            passed.entrySet().removeIf(e -> nowNanos - e.getValue() > LATE * windowNanos);
        }
        ready.forEach(out);
    }

    /** Passes on every pending event, e.g. at the end. */
    public void flushAll() {
        List<Merged> ready = new ArrayList<>();
        synchronized (this) {
            String last = null;
            for (String key : pending.keySet()) {
                last = key;
            }
            if (last != null) {
                collectUpTo(last, ready);
            }
        }
        ready.forEach(out);
    }

    /** The pending events up to and including {@code key}, in order of first receipt: none is passed on before an earlier one. */
    private void collectUpTo(String key, List<Merged> ready) {
        var it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Pending> e = it.next();
            Pending p = e.getValue();
            ready.add(new Merged(p.time(), p.type(), p.message(), p.witnesses()));
            passed.put(e.getKey(), p.firstNanos());
            it.remove();
            if (e.getKey().equals(key)) {
                return;
            }
        }
    }

    /**
     * What makes two Sentinels' events the same: the type and the message without the detail after
     * " #" that each Sentinel words its own way ("+odown master mymaster 10.0.0.2 6379 #quorum 3/2").
     */
    static String key(SentinelEvent event) {
        String message = event.message() == null ? "" : event.message();
        int detail = message.indexOf(" #");
        return event.type() + " " + (detail < 0 ? message : message.substring(0, detail));
    }

    /** The period at which {@link #flushDue} should be called for the window. */
    public long flushPeriodMillis() {
        return Math.max(10, TimeUnit.NANOSECONDS.toMillis(windowNanos) / 5);
    }
}
