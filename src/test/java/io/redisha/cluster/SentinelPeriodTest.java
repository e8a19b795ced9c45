package io.redisha.cluster;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.redisha.cluster.SentinelPeriod.Kind.INFO;
import static io.redisha.cluster.SentinelPeriod.Kind.PING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SentinelPeriodTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** SENTINEL DEBUG without arguments answers a map, a flat list of names and integers in RESP2. */
    @Test
    void eachPeriodIsReadFromSentinelDebugsAnswer() {
        List<Object> answer = List.of(b("INFO-PERIOD"), 10000L, b("PING-PERIOD"), 1000L);
        assertEquals(10000L, SentinelPeriod.parse(answer, INFO));
        assertEquals(1000L, SentinelPeriod.parse(answer, PING));
        assertEquals(1000L, SentinelPeriod.parse(List.of(b("PING-PERIOD"), 100L, b("info-period"), b("1000")), INFO));
        assertEquals(100L, SentinelPeriod.parse(List.of(b("ping-period"), b("100")), PING));
    }

    @Test
    void anAnswerWithoutItGivesNoPeriod() {
        assertNull(SentinelPeriod.parse(List.of(b("PING-PERIOD"), 1000L), INFO));
        assertNull(SentinelPeriod.parse(List.of(b("INFO-PERIOD"), 10000L), PING));
        assertNull(SentinelPeriod.parse(List.of(b("INFO-PERIOD")), INFO));
        assertNull(SentinelPeriod.parse(List.of(b("INFO-PERIOD"), b("soon")), INFO));
        assertNull(SentinelPeriod.parse(b("ERR unknown subcommand"), INFO));
        assertNull(SentinelPeriod.parse(null, PING));
    }
}
