package io.redisha.backend;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FaultKindTest {
    private static final FaultKind PAUSE = new FaultKind("pause", "paused", "unpaused", false, "frozen");
    private static final FaultKind STOP = new FaultKind("stop", "stopped", "started", true, "stopped");
    private static final FaultKind DRAIN = new FaultKind("drain", "drained", "reactivated", true, "host drained");

    @Test
    void anOfferedFaultIsReturnedAsItIs() {
        assertSame(STOP, FaultKind.offered(List.of(PAUSE, STOP), STOP, "an engine"));
    }

    @Test
    void aFaultTheBackendDoesNotOfferIsRefusedNamingThoseItDoes() {
        BackendException e = assertThrows(BackendException.class,
                () -> FaultKind.offered(List.of(PAUSE, STOP), DRAIN, "a single Docker engine"));
        assertEquals("fault drain is not supported on a single Docker engine; choose one of [pause, stop]", e.getMessage());
    }
}
