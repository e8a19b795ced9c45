package io.redisha.cluster;

import java.util.List;

/**
 * One Sentinel as observed.
 *
 * @param master            container name of the master it names (its address when not one of ours), or null
 * @param replicas          replicas it knows (container names or addresses), with "(down)" for flagged ones
 * @param otherSentinels    other Sentinels it knows
 * @param quorum            CKQUORUM's answer
 * @param stale             addresses it lists that no node of the project answers to any more (removed or
 *                          recreated with another IP); only {@code SENTINEL RESET} makes a Sentinel forget them
 * @param failoverRunning   whether it reports a failover in progress
 */
public record SentinelStatus(String name, int index, String state, String address, String hostAddress,
                             String master, List<String> replicas, List<String> otherSentinels,
                             boolean quorumOk, String quorum, List<String> stale, boolean failoverRunning,
                             String error) {
}
