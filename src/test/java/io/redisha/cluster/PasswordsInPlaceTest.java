package io.redisha.cluster;

import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.sentinel.SentinelContext;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a changed password of the single-password mode, or users put in place of it, is taken in place:
 * on a backend that rotates passwords in place (one engine, a Swarm with swarm.engines) without replacing
 * nodes; elsewhere by new nodes, all at once.
 */
class PasswordsInPlaceTest {
    private final List<String> progress = java.util.Collections.synchronizedList(new ArrayList<>());

    private static Topology topology(String yaml) throws Exception {
        return TopologyLoader.parse("project: p\n" + yaml, "test").topology();
    }

    private static final String ONE_PASSWORD = "auth:\n  password-env: P_REDIS\n  sentinel-password-env: P_SENTINEL\n";

    private static final Secrets FIRST = new Secrets("Redis-pw_1", "Sentinel-pw_1");

    /**
     * A running deployment with the first passwords, its nodes labelled as up makes them on a backend that
     * rotates passwords in place or not.
     */
    private static FakeBackend deployed(boolean inPlace) throws Exception {
        FakeBackend fake = new FakeBackend("p");
        fake.singleEngineCapabilities = false;
        fake.rotatesPasswords = inPlace;
        NodeSettings made = new NodeSettings(topology(ONE_PASSWORD), FIRST, inPlace);
        fake.add(Service.MASTER, 1, NodeState.RUNNING);
        fake.add(Service.REPLICA, 1, NodeState.RUNNING);
        fake.add(Service.REPLICA, 2, NodeState.RUNNING);
        for (int i = 1; i <= 3; i++) {
            fake.add(Service.SENTINEL, i, NodeState.RUNNING);
        }
        for (var node : fake.nodes()) {
            fake.record(node.name(), made.recorded(node.service(), node.index()));
        }
        return fake;
    }

    private Plan planWith(FakeBackend fake, String yaml, Secrets secrets) throws Exception {
        try (Cluster cluster = new Cluster(fake, topology(yaml), SentinelContext.locate(null), progress::add, secrets, fake)) {
            return cluster.plan();
        }
    }

    @Test
    void aChangedPasswordReplacesNoNodeWhereItIsRotatedInPlace() throws Exception {
        Plan plan = planWith(deployed(true), ONE_PASSWORD, new Secrets("Rot4te-Secret_2", "Rot4te-Secret_3"));
        assertNull(plan.refusal(), plan::toString);
        assertTrue(plan.steps().stream().noneMatch(s -> s.action() == Plan.Action.REPLACE), plan::toString);
    }

    @Test
    void aChangedPasswordNeedsEveryNodeAtOnceWhereItIsNotRotatedInPlace() throws Exception {
        Plan plan = planWith(deployed(false), ONE_PASSWORD, new Secrets("Rot4te-Secret_2", "Rot4te-Secret_3"));
        assertTrue(String.valueOf(plan.refusal()).contains("the passwords (auth) changed"), plan::toString);
    }

    @Test
    void usersPutInPlaceOfOnePasswordReplaceNoNodeWhereTheyAreTakenInPlace() throws Exception {
        java.util.Map<String, String> users = new java.util.LinkedHashMap<>();
        StringBuilder yaml = new StringBuilder("auth:\n  users:\n");
        for (String user : List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery")) {
            yaml.append("    ").append(user).append(": {password-env: P_").append(user.replace('-', '_').toUpperCase()).append("}\n");
            users.put(user, user + "-Pw_9");
        }
        Secrets secrets = new Secrets(null, null, users);
        Plan inPlace = planWith(deployed(true), yaml.toString(), secrets);
        assertNull(inPlace.refusal(), inPlace::toString);
        assertTrue(inPlace.steps().stream().noneMatch(s -> s.action() == Plan.Action.REPLACE), inPlace::toString);
        Plan replaced = planWith(deployed(false), yaml.toString(), secrets);
        assertTrue(replaced.refusal() != null || replaced.steps().stream().anyMatch(s -> s.action() == Plan.Action.REPLACE),
                replaced::toString);
    }

    @Test
    void onASwarmWithoutEnginesTheRefusalSaysWhatWouldTakeThePasswordsInPlace() {
        String refusal = "the passwords (auth) changed, and nodes with the new one cannot talk to nodes with the old one";
        String hint = "; on Swarm, swarm.engines naming each host's engine lets up change them in place (docs/swarm.md)";
        assertTrue(Cluster.withSwarmHint(refusal, true, false).equals(refusal + hint));
        assertTrue(Cluster.withSwarmHint(refusal, false, false).equals(refusal));
        String users = "auth.users was removed from a deployment (or added where the nodes' files cannot be changed in place)";
        assertTrue(Cluster.withSwarmHint(users, true, true).equals(users + hint), "users put in place of one password");
        assertTrue(Cluster.withSwarmHint(users, true, false).equals(users), "going back is never done in place");
        assertTrue(Cluster.withSwarmHint("sentinels.master-name changed", true, true).equals("sentinels.master-name changed"));
        assertNull(Cluster.withSwarmHint(null, true, true));
    }
}
