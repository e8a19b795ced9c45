package io.redisha.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoggingMixinTest {
    @Test
    void theLaunchersClockIsReadToTheMicrosecondWithAPointOrAComma() {
        assertEquals(Optional.of(Instant.ofEpochSecond(1796666331, 251_849_000)), LoggingMixin.launched("1796666331.251849"));
        assertEquals(Optional.of(Instant.ofEpochSecond(1796666331, 251_849_000)), LoggingMixin.launched("1796666331,251849"));
    }

    @Test
    void anythingElseIsNoLaunchTime() {
        assertEquals(Optional.empty(), LoggingMixin.launched(null));
        assertEquals(Optional.empty(), LoggingMixin.launched(""));
        assertEquals(Optional.empty(), LoggingMixin.launched("1796666331"));
        assertEquals(Optional.empty(), LoggingMixin.launched("soon"));
    }
}
