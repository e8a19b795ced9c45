package io.redisha.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** The HTTP client's wire dump carries the configuration files and Swarm secrets sent to the engine. */
    @Test
    void theHttpClientsWireDumpStaysOffAtEveryVerbosity() {
        LoggingMixin mixin = new LoggingMixin();
        for (int v = 0; v <= 3; v++) {
            mixin.setVerbose(new boolean[v]);
            assertFalse(org.slf4j.LoggerFactory.getLogger("org.apache.hc.client5.http.wire").isErrorEnabled(), "-v x " + v);
        }
        assertTrue(org.slf4j.LoggerFactory.getLogger("org.apache.hc.client5.http.headers").isDebugEnabled(),
                "the rest of the HTTP client's diagnostics at -vvv");
        mixin.setVerbose(new boolean[0]);
    }
}
