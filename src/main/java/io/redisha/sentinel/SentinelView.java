package io.redisha.sentinel;

import java.util.List;

/**
 * What one Sentinel says about the monitored master.
 *
 * @param masterAddress   "ip:port" the Sentinel names as master, null when it does not know the master
 * @param knownReplicas   addresses of the replicas it lists, with their flags
 * @param otherSentinels  addresses of the other Sentinels it lists
 * @param quorumOk        whether {@code SENTINEL CKQUORUM} passed
 * @param quorumMessage   CKQUORUM's answer or error
 * @param failoverRunning whether the Sentinel reports a failover in progress for the master
 * @param error           why the Sentinel could not be asked, or null
 */
public record SentinelView(String masterAddress, String masterFlags, List<Instance> knownReplicas,
                           List<Instance> otherSentinels, boolean quorumOk, String quorumMessage,
                           boolean failoverRunning, String error) {

    /**
     * A replica or Sentinel as a Sentinel lists it.
     *
     * @param name Sentinel's own name for it: "ip:port" for a replica, the run id for a Sentinel
     */
    public record Instance(String name, String address, String flags) {
        public boolean isDown() {
            return flags != null && (flags.contains("s_down") || flags.contains("o_down") || flags.contains("disconnected"));
        }
    }

    public static SentinelView unreachable(String error) {
        return new SentinelView(null, null, List.of(), List.of(), false, error, false, error);
    }

    public boolean reachable() {
        return error == null;
    }
}
