package io.redisha.cluster;

import java.util.List;

/**
 * One Sentinel as observed.
 *
 * @param master            container name of the master it names (its address when not one of ours), or null
 * @param replicas          replicas it knows (container names or addresses), with "(down)" for flagged ones
 * @param otherSentinels    other Sentinels it knows
 * @param quorum            CKQUORUM's answer
 */
public record SentinelStatus(String name, int index, String state, String address, String hostAddress,
                             String master, List<String> replicas, List<String> otherSentinels,
                             boolean quorumOk, String quorum, String error) {
}
