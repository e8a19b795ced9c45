package io.redisha.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadyWaitTest {
    /** Only a Sentinel that answered and lacks a link to a node or a peer is told to try its links sooner. */
    @Test
    void aSentinelLacksALinkWhenItKnowsFewerLiveNodesOrPeers() {
        List<String> notReady = List.of(
                "p-sentinel-1 knows 1 live of 2 other sentinels, expected 2",
                "p-sentinel-2 knows 1 live of 2 replicas, expected 2",
                "p-sentinel-3 cannot be asked: connection refused",
                "p-sentinel-4 reports a failover in progress (master,failover_in_progress)",
                "p-sentinel-11 names p-replica-1 as master, not p-master-1");
        assertTrue(ReadyWait.lacksLink(notReady, "p-sentinel-1"));
        assertTrue(ReadyWait.lacksLink(notReady, "p-sentinel-2"));
        assertFalse(ReadyWait.lacksLink(notReady, "p-sentinel-3"), "not reachable: nothing to tell it");
        assertFalse(ReadyWait.lacksLink(notReady, "p-sentinel-4"));
        assertFalse(ReadyWait.lacksLink(notReady, "p-sentinel-11"));
        assertFalse(ReadyWait.lacksLink(List.of(), "p-sentinel-1"));
    }

    /** Hello messages are quickened only while a Sentinel does not know of every other one yet. */
    @Test
    void aSentinelMissesPeersWhenItKnowsOfFewerThanExpected() {
        assertTrue(ReadyWait.missesPeers("p-sentinel-1 knows 0 live of 0 other sentinels, expected 2"));
        assertTrue(ReadyWait.missesPeers("p-sentinel-1 knows 1 live of 1 other sentinels, expected 2"));
        assertFalse(ReadyWait.missesPeers("p-sentinel-1 knows 1 live of 2 other sentinels, expected 2"), "known, not linked");
        assertFalse(ReadyWait.missesPeers("p-sentinel-1 knows 1 live of 3 other sentinels, expected 2"), "one too many");
        assertFalse(ReadyWait.missesPeers("p-sentinel-1 knows 1 live of 2 replicas, expected 3"));
    }

    @Test
    void onlyARunningSentinelThatAnsweredIsTold() {
        assertTrue(ReadyWait.answered(sentinel("running", null)));
        assertFalse(ReadyWait.answered(sentinel("running", "connect timed out")));
        assertFalse(ReadyWait.answered(sentinel("paused", null)));
        assertFalse(ReadyWait.answered(sentinel("restarting", null)));
    }

    private static SentinelStatus sentinel(String state, String error) {
        return new SentinelStatus("p-sentinel-1", 1, state, "10.0.0.5", null, null, List.of(), List.of(), false, null,
                List.of(), false, error);
    }
}
