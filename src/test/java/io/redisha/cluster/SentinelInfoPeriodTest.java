package io.redisha.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SentinelInfoPeriodTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** SENTINEL DEBUG without arguments answers a map, a flat list of names and integers in RESP2. */
    @Test
    void theInfoPeriodIsReadFromSentinelDebugsAnswer() {
        assertEquals(10000L, SentinelInfoPeriod.parse(List.of(b("INFO-PERIOD"), 10000L, b("PING-PERIOD"), 1000L)));
        assertEquals(1000L, SentinelInfoPeriod.parse(List.of(b("PING-PERIOD"), 1000L, b("info-period"), b("1000"))));
    }

    @Test
    void anAnswerWithoutItGivesNoPeriod() {
        assertNull(SentinelInfoPeriod.parse(List.of(b("PING-PERIOD"), 1000L)));
        assertNull(SentinelInfoPeriod.parse(List.of(b("INFO-PERIOD"))));
        assertNull(SentinelInfoPeriod.parse(List.of(b("INFO-PERIOD"), b("soon"))));
        assertNull(SentinelInfoPeriod.parse(b("ERR unknown subcommand")));
        assertNull(SentinelInfoPeriod.parse(null));
    }
}
