package io.redisha.cli;

import io.redisha.backend.BackendException;
import org.junit.jupiter.api.Test;

import java.nio.channels.ClosedByInterruptException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusWatchTest {

    @Test
    void anEngineCallClosedByAnInterruptionEndsTheWatchAndOtherFailuresDoNot() {
        assertTrue(StatusCommand.interrupted(new BackendException("listing containers failed: ClosedByInterruptException",
                new RuntimeException(new ClosedByInterruptException()))));
        assertTrue(StatusCommand.interrupted(new RuntimeException(new InterruptedException())));
        assertFalse(StatusCommand.interrupted(new BackendException("listing containers failed: connection refused",
                new java.net.ConnectException("connection refused"))));
    }

    @Test
    void anInterruptedThreadEndsTheWatchWhateverTheFailure() {
        Thread.currentThread().interrupt();
        try {
            assertTrue(StatusCommand.interrupted(new IllegalStateException("anything")));
        } finally {
            Thread.interrupted(); // clear it for the next test
        }
    }
}
