package io.redisha.cluster;

import io.redisha.sentinel.SentinelContext;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
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

    /** A deployment made by up with the first passwords, on a backend that rotates passwords in place or not. */
    private FakeBackend deployed(boolean inPlace) throws Exception {
        FakeBackend fake = new FakeBackend("p");
        fake.singleEngineCapabilities = false;
        fake.rotatesPasswords = inPlace;
        try (Cluster cluster = new Cluster(fake, topology(ONE_PASSWORD), SentinelContext.locate(null), progress::add,
                new Secrets("Redis-pw_1", "Sentinel-pw_1"), fake)) {
            assertTrue(cluster.up(Duration.ofSeconds(20)).ready());
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
}
