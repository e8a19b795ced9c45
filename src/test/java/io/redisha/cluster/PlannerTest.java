package io.redisha.cluster;

import io.redisha.backend.Endpoint;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.topology.Auth;
import io.redisha.topology.Master;
import io.redisha.topology.Persistence;
import io.redisha.topology.Replicas;
import io.redisha.topology.Resources;
import io.redisha.topology.Secrets;
import io.redisha.topology.Sentinels;
import io.redisha.topology.Tls;
import io.redisha.topology.Topology;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlannerTest {
    private static final Topology V7 = withImage(Topology.defaults(), "redis:7");
    private static final Topology V8 = withImage(Topology.defaults(), "redis:8");
    private static final ServerImage REDIS_7 = new ServerImage("redis:7", "redis", "7.0.15", "redis-server");
    private static final ServerImage REDIS_8 = new ServerImage("redis:8", "redis", "8.0.2", "redis-server");
    private static final ServerImage VALKEY_8 = new ServerImage("valkey/valkey:8", "valkey", "8.1.1", "valkey-server");

    private static Topology withImage(Topology t, String image) {
        return new Topology(t.project(), image, t.bind(), t.master(), t.replicas(), t.sentinels(), t.auth(),
                t.persistence(), t.resources(), t.platform());
    }

    /** A running node created from the given topology. */
    private static Node node(Topology from, Service service, int index) {
        int ip = 2 + service.ordinal() * 10 + index;
        String image = service == Service.SENTINEL ? "redisha/sentinel:redisha" : from.image();
        return new Node(service.label() + index, "redisha-" + service.label() + "-" + index, service, index,
                NodeState.RUNNING, "10.0.0." + ip, new Endpoint("127.0.0.1", 30000 + ip), image, null,
                new NodeSettings(from, Secrets.none()).recorded(service, index));
    }

    private static Deployment deployment(Topology from, int replicas, int sentinels) {
        List<Node> nodes = new ArrayList<>();
        nodes.add(node(from, Service.MASTER, 1));
        for (int i = 1; i <= replicas; i++) {
            nodes.add(node(from, Service.REPLICA, i));
        }
        for (int i = 1; i <= sentinels; i++) {
            nodes.add(node(from, Service.SENTINEL, i));
        }
        return new Deployment("redisha", "redisha-net", nodes);
    }

    private static Plan plan(Topology to, Deployment d, List<RuntimeSettings.Change> changes, ServerImage running,
                             ServerImage target) {
        Node master = d.find(Service.MASTER, 1).orElse(null);
        return new Planner(to, new NodeSettings(to, Secrets.none())).plan(d, master, changes, List.of(running), target);
    }

    private static List<String> described(Plan plan) {
        return plan.steps().stream().map(Plan.Step::describe).toList();
    }

    @Test
    void aDeploymentCreatedFromTheTopologyNeedsNothing() {
        Plan plan = plan(V7, deployment(V7, 2, 3), List.of(), REDIS_7, REDIS_7);
        assertTrue(plan.isEmpty(), described(plan).toString());
        assertNull(plan.refusal());
    }

    @Test
    void anImageChangeRollsReplicasThenSwitchesOverThenTheOldMasterThenTheSentinels() {
        Plan plan = plan(V8, deployment(V7, 2, 3), List.of(), REDIS_7, REDIS_8);
        assertEquals(List.of(
                "replace redisha-replica-1: image redis:7 -> redis:8",
                "replace redisha-replica-2: image redis:7 -> redis:8",
                "switchover redisha-master-1: to redisha-replica-1",
                "replace redisha-master-1: image redis:7 -> redis:8",
                "replace redisha-sentinel-1: image -> redis:8",
                "replace redisha-sentinel-2: image -> redis:8",
                "replace redisha-sentinel-3: image -> redis:8"), described(plan));
        assertNull(plan.refusal());
        assertTrue(plan.rolls());
    }

    @Test
    void runTimeSettingsAreChangedInPlaceAndNeedNoNewContainer() {
        Topology to = new Topology("redisha", "redis:7", "127.0.0.1", V7.master(), V7.replicas(), V7.sentinels(),
                Auth.none(), Persistence.OFF, new Resources(null, 64L << 20, "allkeys-lru"));
        Deployment d = deployment(V7, 2, 3);
        Node r1 = d.find(Service.REPLICA, 1).orElseThrow();
        Plan plan = plan(to, d, List.of(new RuntimeSettings.Change(r1, "maxmemory", "0", "67108864")), REDIS_7, REDIS_7);
        assertEquals(List.of("change redisha-replica-1: maxmemory 0 -> 67108864"), described(plan));
        NodeSettings settings = new NodeSettings(to, Secrets.none());
        assertEquals("67108864", settings.redisRuntime(Service.REPLICA, 1).get("maxmemory"));
        assertEquals("allkeys-lru", settings.redisRuntime(Service.REPLICA, 1).get("maxmemory-policy"));
        assertEquals(new NodeSettings(V7, Secrets.none()).recorded(Service.MASTER, 1), settings.recorded(Service.MASTER, 1),
                "maxmemory is not a container setting");
    }

    @Test
    void turningTheRestartProtectionOffOrOnNeedsNewRedisContainersOnly() {
        Master m = V7.master();
        Topology off = new Topology("redisha", "redis:7", "127.0.0.1",
                new Master(m.hostPort(), m.minReplicasToWrite(), m.minReplicasMaxLag(), false), V7.replicas(),
                V7.sentinels(), V7.auth(), V7.persistence(), V7.resources(), V7.platform());
        NodeSettings settings = new NodeSettings(off, Secrets.none());
        assertEquals(List.of("restart-protection"), settings.differences(node(V7, Service.MASTER, 1)));
        assertEquals(List.of("restart-protection"), settings.differences(node(V7, Service.REPLICA, 1)));
        assertEquals(List.of(), settings.differences(node(V7, Service.SENTINEL, 1)));
        assertEquals(List.of("restart-protection"), new NodeSettings(V7, Secrets.none()).differences(node(off, Service.MASTER, 1)));
    }

    @Test
    void memoryLimitPersistencePortsAndPasswordsNeedANewContainer() {
        Topology memory = new Topology("redisha", "redis:7", "127.0.0.1", V7.master(), V7.replicas(), V7.sentinels(),
                Auth.none(), Persistence.AOF, new Resources(256L << 20, null, "noeviction"));
        Node m = node(V7, Service.MASTER, 1);
        assertEquals(List.of("memory", "persistence"), new NodeSettings(memory, Secrets.none()).differences(m));
        NodeSettings password = new NodeSettings(V7, new Secrets("s3cret", null));
        assertEquals(List.of("auth"), password.differences(m));
        assertTrue(!password.recorded(Service.MASTER, 1).contains("s3cret"), "the label never holds a password");
        Node s = node(V7, Service.SENTINEL, 1);
        assertEquals(List.of("auth"), new NodeSettings(V7, new Secrets(null, "x")).differences(s));
    }

    @Test
    void theRecordedSettingsDoNotDependOnTheMasterOrTheSlot() {
        NodeSettings settings = new NodeSettings(V7, Secrets.none());
        assertEquals(settings.recorded(Service.MASTER, 1), settings.recorded(Service.REPLICA, 2));
        assertNotEquals(settings.recorded(Service.SENTINEL, 1), settings.recorded(Service.MASTER, 1));
    }

    @Test
    void withoutAReplicaTheMasterCannotBeReplacedWithoutDowntime() {
        Topology to = V8.withReplicaCount(0);
        Plan plan = plan(to, deployment(V7, 0, 3), List.of(), REDIS_7, REDIS_8);
        assertTrue(plan.refusal().startsWith("no replica to switch over to"), plan.refusal());
    }

    @Test
    void aReplicaWithPriorityZeroIsNeverTheSwitchoverTarget() {
        Topology to = new Topology("redisha", "redis:8", "127.0.0.1", V8.master(),
                new Replicas(2, List.of(), List.of(0, 100)), V8.sentinels());
        Plan plan = plan(to, deployment(V7, 2, 3), List.of(), REDIS_7, REDIS_8);
        assertTrue(described(plan).contains("switchover redisha-master-1: to redisha-replica-2"), described(plan).toString());
        Topology none = new Topology("redisha", "redis:8", "127.0.0.1", V8.master(),
                new Replicas(2, List.of(), List.of(0, 0)), V8.sentinels());
        assertTrue(plan(none, deployment(V7, 2, 3), List.of(), REDIS_7, REDIS_8).refusal()
                .contains("replica-priority 0"));
    }

    @Test
    void downgradesAndRedis8ToValkeyAreRefused() {
        assertTrue(plan(V7, deployment(V8, 2, 3), List.of(), REDIS_8, REDIS_7).refusal().startsWith("downgrade"));
        Topology valkey = withImage(V8, "valkey/valkey:8");
        assertTrue(plan(valkey, deployment(V8, 2, 3), List.of(), REDIS_8, VALKEY_8).refusal().contains("RDB"));
        assertNull(plan(valkey, deployment(V7, 2, 3), List.of(), REDIS_7, VALKEY_8).refusal(),
                "Redis 7 to Valkey 8 is an upgrade");
    }

    private static Topology withUsers(Topology t, String appRules) {
        java.util.Map<String, io.redisha.topology.User> users = new java.util.LinkedHashMap<>();
        for (String name : io.redisha.topology.Users.COMPONENTS) {
            users.put(name, new io.redisha.topology.User(name, null, name + ".pass", null));
        }
        users.put("app", new io.redisha.topology.User("app", null, "app.pass", appRules));
        return new Topology(t.project(), t.image(), t.bind(), t.master(), t.replicas(), t.sentinels(),
                new Auth(null, null, null, null, users), t.persistence(), t.resources(), t.platform());
    }

    private static Secrets userPasswords(String generation) {
        java.util.Map<String, String> passwords = new java.util.HashMap<>();
        for (String name : List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery", "app")) {
            passwords.put(name, name + "-" + generation);
        }
        return new Secrets(null, null, passwords);
    }

    @Test
    void aUsersNewPasswordChangesNoContainerItsRulesRollAndSwitchingToUsersIsRefused() {
        Topology users = withUsers(V7, "~app:* +@all");
        NodeSettings first = new NodeSettings(users, userPasswords("1"));
        NodeSettings rotated = new NodeSettings(users, userPasswords("2"));
        for (Service service : Service.values()) {
            assertEquals(first.recorded(service, 1), rotated.recorded(service, 1));
            assertTrue(!first.recorded(service, 1).contains("-1"), "no password in the label");
        }
        Deployment d = deployment(V7, 2, 3);
        List<Node> nodes = d.nodes().stream().map(n -> new Node(n.id(), n.name(), n.service(), n.index(), n.state(),
                n.networkIp(), n.dial(), n.image(), n.host(), first.recorded(n.service(), n.index()))).toList();
        Deployment withUsers = new Deployment("redisha", "redisha-net", nodes);
        Topology newRules = withUsers(V7, "~app:* ~shop:* +@all");
        Plan plan = new Planner(newRules, new NodeSettings(newRules, userPasswords("1")))
                .plan(withUsers, withUsers.find(Service.MASTER, 1).orElseThrow(), List.of(), List.of(REDIS_7), REDIS_7);
        assertNull(plan.refusal());
        assertTrue(described(plan).contains("replace redisha-replica-1: users"), described(plan).toString());
        assertTrue(described(plan).stream().noneMatch(s -> s.contains("sentinel") && s.startsWith("replace")),
                "the Sentinels hold no application user");
        Plan toUsersStopped = new Planner(users, new NodeSettings(users, userPasswords("1"), false))
                .plan(d, d.find(Service.MASTER, 1).orElseThrow(), List.of(), List.of(REDIS_7), REDIS_7);
        assertTrue(toUsersStopped.refusal().startsWith("auth.users was removed from a deployment (or added where the nodes'"
                + " files cannot be changed in place)"), toUsersStopped.refusal());
    }

    @Test
    void usersAddedToAOnePasswordDeploymentMoveInPlaceWhileUsersRemovedAreRefused() {
        Topology users = withUsers(V7, "~app:* +@all");
        NodeSettings withUsers = new NodeSettings(users, userPasswords("1"));
        Deployment onePassword = withPasswords(new Secrets("old", "sentinel-old"), true);
        for (Node n : onePassword.nodes()) {
            assertEquals(List.of(), withUsers.differences(n), n.name() + " takes the users in place");
            assertTrue(withUsers.madeWithOnePassword(n), n.name());
        }
        Plan toUsers = new Planner(users, withUsers).plan(onePassword, onePassword.find(Service.MASTER, 1).orElseThrow(),
                List.of(), List.of(REDIS_7), REDIS_7);
        assertNull(toUsers.refusal());
        assertTrue(toUsers.isEmpty(), described(toUsers).toString());

        List<Node> made = deployment(V7, 2, 3).nodes().stream().map(n -> new Node(n.id(), n.name(), n.service(), n.index(),
                n.state(), n.networkIp(), n.dial(), n.image(), n.host(), withUsers.recorded(n.service(), n.index()))).toList();
        Deployment usersDeployment = new Deployment("redisha", "redisha-net", made);
        made.forEach(n -> assertFalse(withUsers.madeWithOnePassword(n), "made with users: " + n.name()));
        NodeSettings onePasswordAgain = new NodeSettings(V7, new Secrets("old", "sentinel-old"));
        assertFalse(onePasswordAgain.madeWithOnePassword(onePassword.nodes().get(0)), "no users in the topology");
        Plan back = new Planner(V7, onePasswordAgain).plan(usersDeployment, usersDeployment.find(Service.MASTER, 1).orElseThrow(),
                List.of(), List.of(REDIS_7), REDIS_7);
        assertTrue(back.refusal().startsWith("auth.users was removed from a deployment"), back.refusal());
    }

    @Test
    void aNodeMadeWhileTheDefaultUserIsKeptHasItOnWithTheSameHashes() {
        Topology users = withUsers(V7, "~app:* +@all");
        NodeFactory factory = new NodeFactory(users, userPasswords("1"), null, () -> REDIS_7);
        String hash = UserPasswords.hash("old");
        factory.keepDefault(List.of(hash), List.of());
        assertTrue(factory.redisDirectives(Service.REPLICA, 1).contains("user default reset on #" + hash + " ~* &* +@all"));
        assertTrue(factory.sentinelDirectives().contains("user default reset on nopass ~* &* +@all"));
        factory.keepDefault(null, null);
        assertTrue(factory.redisDirectives(Service.REPLICA, 1).contains("user default off resetpass -@all"));
        assertTrue(factory.sentinelDirectives().contains("user default off resetpass -@all"));
    }

    @Test
    void aUsersNewPasswordChangesNoContainerAlsoWhereFilesCannotBeReplaced() {
        // on Swarm too the users' passwords are rotated in place: the copy of each node's configuration in its
        // data volume, which CONFIG REWRITE and SENTINEL FLUSHCONFIG write, is the one a restarted task reads
        Topology users = withUsers(V7, "~app:* +@all");
        NodeSettings first = new NodeSettings(users, userPasswords("1"), false);
        NodeSettings rotated = new NodeSettings(users, userPasswords("2"), false);
        List<Node> nodes = deployment(V7, 2, 3).nodes().stream().map(n -> new Node(n.id(), n.name(), n.service(), n.index(),
                n.state(), n.networkIp(), n.dial(), n.image(), n.host(), first.recorded(n.service(), n.index()))).toList();
        Deployment d = new Deployment("redisha", "redisha-net", nodes);
        for (Node n : nodes) {
            assertEquals(first.recorded(n.service(), 1), rotated.recorded(n.service(), 1));
            assertEquals(List.of(), rotated.differences(n), n.name());
        }
        Plan plan = new Planner(users, rotated).plan(d, d.find(Service.MASTER, 1).orElseThrow(), List.of(), List.of(REDIS_7),
                REDIS_7);
        assertNull(plan.refusal());
        assertTrue(plan.isEmpty(), described(plan).toString());
    }

    @Test
    void theUsersGoIntoTheConfigurationAsHashesWithTheDefaultUserOff() {
        Topology users = withUsers(V7, "~app:* +@all");
        NodeFactory factory = new NodeFactory(users, userPasswords("1"), null, () -> REDIS_7);
        List<String> redis = factory.redisDirectives(Service.REPLICA, 1);
        assertTrue(redis.contains("user default off resetpass -@all"), redis.toString());
        assertTrue(redis.contains("user app reset on #" + UserPasswords.hash("app-1") + " ~app:* +@all"), redis.toString());
        assertTrue(redis.contains("masteruser replication"));
        assertTrue(redis.contains("masterauth \"replication-1\""));
        assertTrue(redis.stream().noneMatch(l -> l.contains("discovery")), "discovery lives on the Sentinels");
        assertTrue(redis.stream().filter(l -> !l.startsWith("masterauth")).noneMatch(l -> l.contains("-1\"") || l.contains(">")));
        List<String> sentinel = factory.sentinelDirectives();
        assertTrue(sentinel.contains("sentinel sentinel-user sentinel-peer"), sentinel.toString());
        assertTrue(sentinel.contains("sentinel auth-user mymaster sentinel"), sentinel.toString());
        assertTrue(sentinel.stream().noneMatch(l -> l.startsWith("user app")), "applications log in to the Redis nodes only");
    }

    /** Nodes recorded with these passwords, as a backend that rotates them in place (or not) records them. */
    private static Deployment withPasswords(Secrets secrets, boolean inPlace) {
        NodeSettings recorded = new NodeSettings(V7, secrets, inPlace);
        List<Node> nodes = deployment(V7, 2, 3).nodes().stream().map(n -> new Node(n.id(), n.name(), n.service(),
                n.index(), n.state(), n.networkIp(), n.dial(), n.image(), n.host(), recorded.recorded(n.service(), n.index())))
                .toList();
        return new Deployment("redisha", "redisha-net", nodes);
    }

    @Test
    void changedPasswordsAreRotatedInPlaceWhileAnAddedOrRemovedOneIsRefused() {
        Secrets old = new Secrets("old", "sentinel-old");
        Secrets rotated = new Secrets("new", "sentinel-new");
        for (Deployment d : List.of(withPasswords(old, true), withPasswords(old, false))) {
            Plan plan = new Planner(V7, new NodeSettings(V7, rotated, true))
                    .plan(d, d.find(Service.MASTER, 1).orElseThrow(), List.of(), List.of(REDIS_7), REDIS_7);
            assertNull(plan.refusal());
            assertTrue(plan.steps().isEmpty(), described(plan).toString());
        }
        assertNotEquals(new NodeSettings(V7, rotated, true).recorded(Service.SENTINEL, 1),
                new NodeSettings(V7, new Secrets("new", null), true).recorded(Service.SENTINEL, 1));
        Deployment d = withPasswords(old, true);
        for (Secrets changed : List.of(new Secrets("new", null), Secrets.none())) {
            Plan plan = new Planner(V7, new NodeSettings(V7, changed, true))
                    .plan(d, d.find(Service.MASTER, 1).orElseThrow(), List.of(), List.of(REDIS_7), REDIS_7);
            assertTrue(plan.refusal().startsWith("the passwords (auth) changed"), plan.refusal());
        }
        Deployment notInPlace = withPasswords(old, false);
        Plan plan = new Planner(V7, new NodeSettings(V7, rotated, false))
                .plan(notInPlace, notInPlace.find(Service.MASTER, 1).orElseThrow(), List.of(), List.of(REDIS_7), REDIS_7);
        assertTrue(plan.refusal().startsWith("the passwords (auth) changed"), plan.refusal());
    }

    @Test
    void theFormerPasswordsAreReadFromANodesConfigurationAsRedisWritesThem() {
        String config = """
                port 6379
                requirepass "s3cret \\"redis\\" pa$$ \\\\ word"
                masterauth plain
                primaryauth "x\\x41y"
                sentinel auth-pass mymaster "a b"
                sentinel sentinel-pass 'it\\'s'
                """;
        assertEquals(List.of("s3cret \"redis\" pa$$ \\ word", "plain", "xAy", "a b", "it's"),
                SinglePasswordRotation.candidates(config));
    }

    @Test
    void newPasswordsOrANewMasterNameCannotRollAndAreRefused() {
        Deployment d = deployment(V7, 2, 3);
        Plan plan = new Planner(V7, new NodeSettings(V7, new Secrets("new", null)))
                .plan(d, d.find(Service.MASTER, 1).orElseThrow(), List.of(), List.of(REDIS_7), REDIS_7);
        assertTrue(plan.refusal().startsWith("the passwords (auth) changed"), plan.refusal());
        Topology renamed = new Topology("redisha", "redis:7", "127.0.0.1", V7.master(), V7.replicas(),
                new Sentinels(3, 2, "other", 5000, 5000, 1, List.of()));
        assertTrue(plan(renamed, d, List.of(), REDIS_7, REDIS_7).refusal().contains("master-name"));
    }

    @Test
    void turningTlsOnOrOffCannotRollAndIsRefusedWhileItsClientCertificatesRoll() {
        Topology tls = withTls(V7, Tls.AuthClients.YES);
        Deployment plain = deployment(V7, 2, 3);
        Plan on = plan(tls, plain, List.of(), REDIS_7, REDIS_7);
        assertTrue(on.refusal().startsWith("TLS was turned on or off"), on.refusal());
        Deployment withTls = deployment(tls, 2, 3);
        assertEquals(List.of("tls"), new NodeSettings(V7, Secrets.none()).differences(withTls.find(Service.MASTER, 1).orElseThrow()),
                "turning it off is seen too, though a topology without TLS records nothing of it");
        assertTrue(plan(V7, withTls, List.of(), REDIS_7, REDIS_7).refusal().startsWith("TLS was turned on or off"));
        Plan optional = plan(withTls(V7, Tls.AuthClients.OPTIONAL), withTls, List.of(), REDIS_7, REDIS_7);
        assertNull(optional.refusal(), "client certificates change node by node");
        assertTrue(described(optional).stream().anyMatch(s -> s.contains("tls-auth-clients")), described(optional).toString());
        assertEquals(List.of(), new NodeSettings(tls, Secrets.none()).differences(withTls.find(Service.SENTINEL, 1).orElseThrow()));
    }

    @Test
    void nodesWhoseCertificateIsDueWhereItCannotBeRenewedInPlaceAreReplacedOneAtATime() {
        Topology tls = withTls(V7, Tls.AuthClients.YES);
        Deployment d = deployment(tls, 2, 3);
        NodeSettings settings = new NodeSettings(tls, Secrets.none());
        Node master = d.find(Service.MASTER, 1).orElseThrow();
        Node sentinel = d.find(Service.SENTINEL, 2).orElseThrow();
        settings.certificatesDue(java.util.Set.of(master.id(), sentinel.id()));
        Plan plan = new Planner(tls, settings).plan(d, master, List.of(), List.of(REDIS_7), REDIS_7);
        assertNull(plan.refusal(), plan.refusal());
        assertEquals(List.of("switchover redisha-master-1: to redisha-replica-1",
                "replace redisha-master-1: certificate expires within tls.renew-within-days",
                "replace redisha-sentinel-2: certificate expires within tls.renew-within-days"), described(plan));
    }

    private static Topology withTls(Topology t, Tls.AuthClients authClients) {
        return new Topology(t.project(), t.image(), t.bind(), t.master(), t.replicas(), t.sentinels(), t.auth(),
                t.persistence(), t.resources(), t.platform(), new Tls(true, authClients, "tls", null, null, null, null, 365, 30));
    }

    @Test
    void replacingASentinelMayNotLeaveFewerThanTheQuorum() {
        Topology to = new Topology("redisha", "redis:8", "127.0.0.1", V8.master(), V8.replicas(),
                new Sentinels(2, 2, "mymaster", 5000, 5000, 1, List.of()));
        Topology from = withImage(to, "redis:7");
        Plan plan = plan(to, deployment(from, 2, 2), List.of(), REDIS_7, REDIS_8);
        assertTrue(plan.refusal().contains("below the quorum"), plan.refusal());
    }

    @Test
    void missingNodesAreCreatedAndExtraOnesRemovedBeforeAnyChange() {
        Deployment d = deployment(V7, 3, 3);
        Topology to = V7.withSentinelCount(4).withReplicaCount(2);
        Plan plan = plan(to, d, List.of(), REDIS_7, REDIS_7);
        assertEquals(List.of("create redisha-sentinel-4: missing",
                "remove redisha-replica-3: beyond the topology's counts"), described(plan));
    }

    @Test
    void aNodeFromAnOlderRedishaIsComparedByItsImage() {
        Node old = new Node("m", "redisha-master-1", Service.MASTER, 1, NodeState.RUNNING, "10.0.0.2", null, "redis:7", null);
        assertEquals(List.of(), new NodeSettings(V7, Secrets.none()).differences(old));
        assertEquals(List.of("image redis:7 -> redis:8"), new NodeSettings(V8, Secrets.none()).differences(old));
    }
}
