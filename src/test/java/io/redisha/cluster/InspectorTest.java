package io.redisha.cluster;

import io.redisha.backend.Endpoint;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.sentinel.ReplicationInfo;
import io.redisha.sentinel.SentinelView;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectorTest {
    private static Node node(Service service, int index, String ip) {
        return new Node("id-" + service + index, "p-" + service.label() + "-" + index, service, index,
                NodeState.RUNNING, ip, new Endpoint("127.0.0.1", 30000 + index), "redis:7", null);
    }

    private static final Node MASTER = node(Service.MASTER, 1, "172.22.0.2");
    private static final Node REPLICA = node(Service.REPLICA, 1, "172.22.0.3");
    private static final Node SENTINEL_1 = node(Service.SENTINEL, 1, "172.22.0.4");
    private static final Node SENTINEL_2 = node(Service.SENTINEL, 2, "172.22.0.5");
    private static final Deployment DEPLOYMENT = new Deployment("p", "p-net", List.of(MASTER, REPLICA, SENTINEL_1, SENTINEL_2));

    private static SentinelView.Instance replica(String name, String address) {
        return new SentinelView.Instance(name, address, "slave");
    }

    private static SentinelView view(List<SentinelView.Instance> replicas, List<SentinelView.Instance> sentinels) {
        return new SentinelView("172.22.0.2:6379", "master", replicas, sentinels, true, "OK", false, null);
    }

    private static final SentinelView.Instance OTHER = new SentinelView.Instance("runid2", "172.22.0.5:26379", "sentinel");

    @Test
    void aHealthyListHasNoStaleEntry() {
        assertEquals(List.of(), Inspector.staleEntries(DEPLOYMENT, SENTINEL_1,
                view(List.of(replica("172.22.0.3:6379", "172.22.0.3:6379")), List.of(OTHER))));
    }

    @Test
    void theOldMasterUnderAnUnresolvedNameIsStale() {
        // as SENTINEL REPLICAS listed it after the master-service container was cut off and reconnected
        assertEquals(List.of(":6379"), Inspector.staleEntries(DEPLOYMENT, SENTINEL_1, view(List.of(
                replica("172.22.0.2:6379", "172.22.0.2:6379"), replica(":6379", "172.22.0.2:6379"),
                replica("172.22.0.3:6379", "172.22.0.3:6379")), List.of(OTHER))));
    }

    @Test
    void aGoneAddressARepeatedOneAndItselfAreStale() {
        assertEquals(List.of("172.22.0.9:6379", "172.22.0.3:6379 (twice)", "172.22.0.4:26379 (itself)"),
                Inspector.staleEntries(DEPLOYMENT, SENTINEL_1, view(List.of(
                        replica("172.22.0.9:6379", "172.22.0.9:6379"), replica("172.22.0.3:6379", "172.22.0.3:6379"),
                        replica("172.22.0.3:6379", "172.22.0.3:6379")),
                        List.of(OTHER, new SentinelView.Instance("runid1", "172.22.0.4:26379", "sentinel")))));
    }

    @Test
    void aSentinelAddressNoSentinelAnswersToIsStale() {
        assertEquals(List.of("172.22.0.3:26379"), Inspector.staleEntries(DEPLOYMENT, SENTINEL_1,
                view(List.of(replica("172.22.0.3:6379", "172.22.0.3:6379")),
                        List.of(OTHER, new SentinelView.Instance("runid9", "172.22.0.3:26379", "s_down,sentinel")))));
    }

    // ---- readiness ----------------------------------------------------------------------------

    private static final ReplicationInfo MASTER_INFO = ReplicationInfo.parse(
            "role:master\r\nconnected_slaves:1\r\nslave0:ip=172.22.0.3,port=6379,state=online,offset=10,lag=0\r\n");
    private static final ReplicationInfo REPLICA_INFO = ReplicationInfo.parse(
            "role:slave\r\nmaster_host:172.22.0.2\r\nmaster_port:6379\r\nmaster_link_status:up\r\n");

    private static ClusterStatus judge(List<SentinelView.Instance> replicasSeenBySentinel1) {
        SentinelView healthy2 = view(List.of(replica("172.22.0.3:6379", "172.22.0.3:6379")),
                List.of(new SentinelView.Instance("runid1", "172.22.0.4:26379", "sentinel")));
        Inspector.Observation o = new Inspector.Observation(DEPLOYMENT,
                Map.of(MASTER, MASTER_INFO, REPLICA, REPLICA_INFO), Map.of(),
                Map.of(SENTINEL_1, view(replicasSeenBySentinel1, List.of(OTHER)), SENTINEL_2, healthy2));
        return new Inspector(null, null).judge(o, new Expected(1, 2));
    }

    @Test
    void aHealthyDeploymentIsReady() {
        ClusterStatus status = judge(List.of(replica("172.22.0.3:6379", "172.22.0.3:6379")));
        assertTrue(status.ready(), status.notReady()::toString);
    }

    @Test
    void aReplicaListedOnlyUnderAnUnresolvedNameIsNotReady() {
        // the right count and the right address, but under the name ":6379": at its next INFO the
        // Sentinel adds the address again, and a failover it leads would make the promoted replica
        // replicate from itself
        ClusterStatus status = judge(List.of(replica(":6379", "172.22.0.3:6379")));
        assertFalse(status.ready());
        assertEquals(List.of("p-sentinel-1 keeps stale entries [:6379]"), status.notReady());
    }

    @Test
    void theMasterListedAsAReplicaInsteadOfTheReplicaIsNotReady() {
        ClusterStatus status = judge(List.of(replica("172.22.0.2:6379", "172.22.0.2:6379")));
        assertFalse(status.ready());
        assertEquals(List.of("p-sentinel-1 lists [p-master-1] as replicas and does not list [p-replica-1]"),
                status.notReady());
    }

    @Test
    void aStoppedSentinelIsTheReasonNotTheOthersEntriesForIt() {
        Node stopped = new Node("id-s2", "p-sentinel-2", Service.SENTINEL, 2, NodeState.EXITED,
                null, null, "redis:7", null);
        Deployment d = new Deployment("p", "p-net", List.of(MASTER, REPLICA, SENTINEL_1, stopped));
        Inspector.Observation o = new Inspector.Observation(d, Map.of(MASTER, MASTER_INFO, REPLICA, REPLICA_INFO),
                Map.of(), Map.of(SENTINEL_1, view(List.of(replica("172.22.0.3:6379", "172.22.0.3:6379")), List.of(OTHER))));
        ClusterStatus status = new Inspector(null, null).judge(o, new Expected(1, 2));
        assertFalse(status.ready());
        assertTrue(status.notReady().stream().noneMatch(r -> r.contains("stale")), status.notReady()::toString);
        assertTrue(status.notReady().stream().anyMatch(r -> r.startsWith("p-sentinel-2")), status.notReady()::toString);
    }
}
