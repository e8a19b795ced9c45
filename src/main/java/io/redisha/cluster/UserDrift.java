package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.sentinel.RedisNodes;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.User;
import io.redisha.topology.Users;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.AccessControlUser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Users changed by hand on a running node: one added, one removed, rules changed, {@code default} turned
 * on. The topology wins: {@code up} removes, creates and resets them in place. Rules are compared as the
 * node itself reads them: the topology's are given to a short-lived probe user on that node, whose
 * normalised commands, keys and channels ({@code ACL GETUSER}) are compared with the user's.
 */
final class UserDrift {
    private static final String PROBE = "redisha-rules-probe";

    /** One user of one node that differs from the topology. */
    record Drift(Node node, String user, String what) {
    }

    private final Topology topology;
    private final Secrets secrets;
    private final RedisNodes redis;
    private final BiFunction<User, Boolean, String> rules;
    /** Whether {@code default} is on by design for now: kept while the deployment moves to users ({@link UsersMigration}). */
    private volatile boolean keepDefault;

    /** @param rules the rules a user is created with on the topology's server, on a Sentinel or not */
    UserDrift(Topology topology, Secrets secrets, RedisNodes redis, BiFunction<User, Boolean, String> rules) {
        this.topology = topology;
        this.secrets = secrets;
        this.redis = redis;
        this.rules = rules;
    }

    private Map<String, User> usersOf(Node node) {
        boolean sentinel = node.service() == Service.SENTINEL;
        Map<String, User> users = new LinkedHashMap<>();
        topology.auth().users().values().stream()
                .filter(u -> Users.on(u.name(), sentinel))
                .forEach(u -> users.put(u.name(), u));
        return users;
    }

    void keepDefault(boolean keep) {
        this.keepDefault = keep;
    }

    List<Drift> look(List<Node> nodes) {
        List<Drift> drifts = new ArrayList<>();
        if (!topology.auth().hasUsers()) {
            return drifts;
        }
        for (Node node : nodes.stream().filter(n -> n.isRunning() && n.dial() != null).toList()) {
            try (Jedis jedis = connect(node)) {
                Map<String, User> expected = usersOf(node);
                List<String> present = jedis.aclUsers();
                for (String name : present) {
                    if (!name.equals("default") && !name.equals(PROBE) && !expected.containsKey(name)) {
                        drifts.add(new Drift(node, name, "added by hand"));
                    }
                }
                if (!keepDefault && !jedis.aclGetUser("default").getFlags().contains("off")) {
                    drifts.add(new Drift(node, "default", "turned on by hand"));
                }
                for (User user : expected.values()) {
                    if (!present.contains(user.name())) {
                        drifts.add(new Drift(node, user.name(), "removed by hand"));
                    } else if (!sameRules(jedis, user, node.service() == Service.SENTINEL)) {
                        drifts.add(new Drift(node, user.name(), "rules or flags changed by hand"));
                    }
                }
            } catch (JedisException e) {
                // unreachable now, or refusing redisha: reported elsewhere
            }
        }
        return drifts;
    }

    private boolean sameRules(Jedis jedis, User user, boolean sentinel) {
        jedis.aclSetUser(PROBE, words("reset on " + rules.apply(user, sentinel)));
        try {
            AccessControlUser wanted = jedis.aclGetUser(PROBE);
            AccessControlUser live = jedis.aclGetUser(user.name());
            return live.getFlags().contains("on") && Objects.equals(wanted.getCommands(), live.getCommands())
                    && Objects.equals(wanted.getKeys(), live.getKeys()) && Objects.equals(wanted.getChannels(), live.getChannels())
                    && Objects.equals(wanted.getSelectors(), live.getSelectors());
        } finally {
            jedis.aclDelUser(PROBE);
        }
    }

    /** Puts the drifted users back as the topology has them, and persists each node's users. */
    void fix(List<Drift> drifts, Progress progress) {
        Map<Node, List<Drift>> byNode = new LinkedHashMap<>();
        drifts.forEach(d -> byNode.computeIfAbsent(d.node(), n -> new ArrayList<>()).add(d));
        byNode.forEach((node, list) -> {
            try (Jedis jedis = connect(node)) {
                Map<String, User> expected = usersOf(node);
                for (Drift d : list) {
                    progress.step("user " + d.user() + " of " + node.name() + " " + d.what() + ": set as the topology has it");
                    if (d.user().equals("default")) {
                        jedis.aclSetUser("default", "off", "resetpass", "-@all");
                    } else if (!expected.containsKey(d.user())) {
                        jedis.aclDelUser(d.user());
                    } else {
                        // the topology's password only: one kept from a rotation left half done goes too
                        jedis.aclSetUser(d.user(), words("reset on #" + UserPasswords.hash(secrets.password(d.user())) + " "
                                + rules.apply(expected.get(d.user()), node.service() == Service.SENTINEL)));
                    }
                }
                PasswordRotation.saveConfig(jedis, node);
            }
        });
    }

    private static String[] words(String rules) {
        return rules.strip().split("\\s+");
    }

    private Jedis connect(Node node) {
        return node.service() == Service.SENTINEL ? redis.sentinel(node.nameAddress()) : redis.redis(node.nameAddress());
    }
}
