package io.redisha.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** redisha cli [NODE] [COMMAND ARGS...]: the first word is a node only when it has a node's form. */
class CliArgumentsTest {
    private static CliArguments parse(String... words) {
        return CliArguments.parse(List.of(words), "shop");
    }

    @Test
    void aNodeNameFirstIsTheNode() {
        assertEquals(new CliArguments("master", List.of("SET", "k", "v")), parse("master", "SET", "k", "v"));
        assertEquals(new CliArguments("replica-2", List.of("GET", "k")), parse("replica-2", "GET", "k"));
        assertEquals(new CliArguments("slave-1", List.of("GET", "k")), parse("slave-1", "GET", "k"));
        assertEquals(new CliArguments("sentinel-3", List.of("SENTINEL", "masters")), parse("sentinel-3", "SENTINEL", "masters"));
        assertEquals(new CliArguments("master-1", List.of()), parse("master-1"));
        assertEquals(new CliArguments("shop-replica-1", List.of("PING")), parse("shop-replica-1", "PING"));
    }

    @Test
    void otherwiseTheCommandStartsAtTheFirstWord() {
        assertEquals(new CliArguments(null, List.of("GET", "master")), parse("GET", "master"));
        assertEquals(new CliArguments(null, List.of("sentinel", "masters")), parse("sentinel", "masters"));
        assertEquals(new CliArguments(null, List.of("replica-x")), parse("replica-x"));
        assertEquals(new CliArguments(null, List.of()), parse());
        assertNull(parse("PING").node());
    }

    @Test
    void aSentinelCommandWithoutANodeGoesToASentinel() {
        assertTrue(parse("SENTINEL", "get-master-addr-by-name", "mymaster").forSentinel());
        assertFalse(parse("GET", "k").forSentinel());
        assertFalse(parse().forSentinel());
    }

    @Test
    void subscribeAndMonitorStream() {
        assertTrue(CliArguments.streams(List.of("SUBSCRIBE", "+switch-master")));
        assertTrue(CliArguments.streams(List.of("monitor")));
        assertFalse(CliArguments.streams(List.of("PUBLISH", "c", "m")));
    }
}
