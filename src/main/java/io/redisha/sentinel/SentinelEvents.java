package io.redisha.sentinel;

import io.redisha.backend.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Listens to every Sentinel's events: one thread per Sentinel holds a {@code PSUBSCRIBE *}
 * connection (resubscribing if it drops) and records each event with its receipt time. Waiting
 * for an event observes the stream; nothing here sleeps to guess.
 */
public final class SentinelEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SentinelEvents.class);
    private static final long RETRY_MILLIS = 250;

    private final JedisClientConfig config;
    private final Consumer<SentinelEvent> listener;
    private final List<SentinelEvent> events = new ArrayList<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final ConcurrentHashMap.KeySetView<String, Boolean> subscribed = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param config   a Sentinel config with the loopback mapper; pub/sub needs no socket timeout
     * @param listener called on the subscriber's thread for every event, as it arrives
     */
    public SentinelEvents(JedisClientConfig config, List<Node> sentinels, Consumer<SentinelEvent> listener) {
        this.config = config;
        this.listener = listener;
        for (Node sentinel : sentinels) {
            subscribers.add(new Subscriber(sentinel));
        }
    }

    public void start() {
        subscribers.forEach(s -> s.thread.start());
    }

    /** Waits until every Sentinel confirmed the subscription, or the deadline; returns those that did not. */
    public List<String> awaitSubscribed(long deadlineNanos) {
        synchronized (events) {
            while (subscribed.size() < subscribers.size() && !closed) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                waitOn(left);
            }
        }
        return subscribers.stream().map(s -> s.sentinel.name()).filter(name -> !subscribed.contains(name)).toList();
    }

    /** The first recorded event that matches, waiting for it until the deadline. */
    public Optional<SentinelEvent> await(Predicate<SentinelEvent> match, long deadlineNanos) {
        synchronized (events) {
            int seen = 0;
            while (true) {
                for (; seen < events.size(); seen++) {
                    if (match.test(events.get(seen))) {
                        return Optional.of(events.get(seen));
                    }
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || closed) {
                    return Optional.empty();
                }
                waitOn(left);
            }
        }
    }

    /** Every event recorded so far, in order of receipt. */
    public List<SentinelEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    private void waitOn(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(events, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Sentinel events", e);
        }
    }

    private void record(SentinelEvent event) {
        synchronized (events) {
            events.add(event);
            events.notifyAll();
        }
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            log.warn("event listener failed on {}", event, e);
        }
    }

    private void markSubscribed(String sentinel) {
        synchronized (events) {
            subscribed.add(sentinel);
            events.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (events) {
            events.notifyAll();
        }
        subscribers.forEach(Subscriber::stop);
        for (Subscriber s : subscribers) {
            try {
                s.thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Subscriber {
        private final Node sentinel;
        private final Thread thread;
        private volatile JedisPubSub pubSub;
        private volatile Jedis jedis;

        Subscriber(Node sentinel) {
            this.sentinel = sentinel;
            this.thread = new Thread(this::run, "redisha-events-" + sentinel.name());
            this.thread.setDaemon(true);
        }

        private void run() {
            while (!closed) {
                try (Jedis connection = new Jedis(RedisNodes.hostAndPort(sentinel.nameAddress()), config)) {
                    jedis = connection;
                    JedisPubSub listener = new JedisPubSub() {
                        @Override
                        public void onPSubscribe(String pattern, int count) {
                            markSubscribed(sentinel.name());
                        }

                        @Override
                        public void onPMessage(String pattern, String channel, String message) {
                            if (SentinelEvent.isEventChannel(channel)) {
                                record(new SentinelEvent(sentinel.name(), channel, message, System.nanoTime()));
                            }
                        }
                    };
                    pubSub = listener;
                    if (closed) {
                        return;
                    }
                    connection.psubscribe(listener, "*");
                } catch (JedisException e) {
                    if (closed) {
                        return;
                    }
                    log.debug("subscription to {} failed: {}", sentinel.name(), e.getMessage());
                    try {
                        Thread.sleep(RETRY_MILLIS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        void stop() {
            JedisPubSub p = pubSub;
            if (p != null && p.isSubscribed()) {
                try {
                    p.punsubscribe();
                } catch (RuntimeException e) {
                    log.debug("punsubscribe from {}: {}", sentinel.name(), e.getMessage());
                }
            }
            Jedis j = jedis;
            if (j != null) {
                try {
                    // unblocks a reader whose Sentinel no longer answers
                    j.disconnect();
                } catch (RuntimeException e) {
                    log.debug("disconnect from {}: {}", sentinel.name(), e.getMessage());
                }
            }
            thread.interrupt();
        }
    }
}
