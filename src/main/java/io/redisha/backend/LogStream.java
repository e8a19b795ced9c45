package io.redisha.backend;

import java.time.Duration;

/** A node's log being read by a backend ({@link Backend#streamLogs}); closing it stops the reading. */
public interface LogStream extends AutoCloseable {

    /**
     * Waits until every line was delivered: the log's end when not following, else until the node
     * stopped or the stream was closed.
     *
     * @return whether it ended within the time
     * @throws BackendException when the engine failed while the log was read
     */
    boolean await(Duration timeout) throws InterruptedException;

    /** Stops reading; idempotent. */
    @Override
    void close();

    /** A stream that has already delivered everything. */
    static LogStream ended() {
        return new LogStream() {
            @Override
            public boolean await(Duration timeout) {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
