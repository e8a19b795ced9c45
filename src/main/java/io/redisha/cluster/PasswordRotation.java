package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.sentinel.RedisNodes;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.User;
import io.redisha.topology.Users;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.AccessControlUser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes the passwords of the ACL users in place, without a refused connection: the password in the
 * topology's file or variable is added beside the one the nodes hold ({@code >new}: a user may have
 * several), every component that logs in with it is switched to it (the replicas' {@code masterauth},
 * the Sentinels' {@code auth-pass} and {@code sentinel-pass}), and only then are the others removed
 * ({@code resetpass >new}), at once or by a later run.
 *
 * <p>No old password is needed, nor kept anywhere: the nodes hold each password as its SHA-256 hash
 * ({@code ACL GETUSER}), so a user whose hashes are not exactly the new password's is the one to
 * rotate, and one with the new hash among others is half done. Each step persists what it changed
 * (Redis {@code CONFIG REWRITE}, Sentinel {@code SENTINEL FLUSHCONFIG}), so a node restarted midway
 * keeps it. redisha's own user gets its new password first ({@link AdminPasswordRotation}: redisha logs in
 * with it); its former one is removed here.
 */
final class PasswordRotation {
    /** One user of one node and the password hashes it holds. */
    record Held(Node node, String user, List<String> hashes) {
    }

    /** What differs from the topology: users lacking the new password, users still holding others. */
    record State(List<Held> lacking, List<Held> halfDone, List<String> refusingRedisha) {
        State(List<Held> lacking, List<Held> halfDone) {
            this(lacking, halfDone, List.of());
        }

        boolean isEmpty() {
            return lacking.isEmpty() && halfDone.isEmpty();
        }

        /** What {@code up --dry-run} shows, by node name. */
        Map<String, String> steps() {
            Map<String, List<String>> rotate = new LinkedHashMap<>();
            Map<String, List<String>> finish = new LinkedHashMap<>();
            lacking.forEach(h -> rotate.computeIfAbsent(h.node().name(), n -> new ArrayList<>()).add(h.user()));
            halfDone.forEach(h -> finish.computeIfAbsent(h.node().name(), n -> new ArrayList<>()).add(h.user()));
            Map<String, String> steps = new LinkedHashMap<>();
            rotate.forEach((node, users) -> steps.put(node, "passwords of " + String.join(", ", users)
                    + ": the new one added beside the old, then the old removed"));
            finish.forEach((node, users) -> steps.merge(node, "old passwords of " + String.join(", ", users) + " removed",
                    (a, b) -> a + "; " + b));
            return steps;
        }

        Set<String> users() {
            Set<String> users = new LinkedHashSet<>();
            lacking.forEach(h -> users.add(h.user()));
            halfDone.forEach(h -> users.add(h.user()));
            return users;
        }
    }

    private final Topology topology;
    private final Secrets secrets;
    private final RedisNodes redis;
    private final Progress progress;

    PasswordRotation(Topology topology, Secrets secrets, RedisNodes redis, Progress progress) {
        this.topology = topology;
        this.secrets = secrets;
        this.redis = redis;
        this.progress = progress;
    }

    /**
     * The users redisha rotates on a node: all of that kind of node's. Its own user never lacks the new
     * password here (redisha logged in with it), but may still hold the former one.
     */
    private List<User> usersOf(Node node) {
        boolean sentinel = node.service() == Service.SENTINEL;
        // its own user last: the connection that changes it is logged in as it
        return topology.auth().users().values().stream().filter(u -> Users.on(u.name(), sentinel))
                .sorted(java.util.Comparator.comparing(u -> u.name().equals(Users.ADMIN))).toList();
    }

    /** Asks every running node; a node that cannot be asked is left out (the readiness wait reports it). */
    State look(List<Node> nodes) {
        List<Held> lacking = new ArrayList<>();
        List<Held> halfDone = new ArrayList<>();
        List<String> refusing = new ArrayList<>();
        if (!topology.auth().hasUsers()) {
            return new State(lacking, halfDone);
        }
        for (Node node : running(nodes)) {
            try (Jedis jedis = connect(node)) {
                for (User user : usersOf(node)) {
                    AccessControlUser acl = jedis.aclGetUser(user.name());
                    List<String> hashes = acl == null ? List.of() : List.copyOf(acl.getPasswords());
                    String wanted = UserPasswords.hash(secrets.password(user.name()));
                    Held held = new Held(node, user.name(), hashes);
                    if (!hashes.contains(wanted)) {
                        lacking.add(held);
                    } else if (hashes.size() > 1) {
                        halfDone.add(held);
                    }
                }
            } catch (JedisAccessControlException e) {
                refusing.add(node.name());
            } catch (JedisException e) {
                // unreachable now: left to the readiness wait
            }
        }
        return new State(lacking, halfDone, refusing);
    }

    /**
     * Rotates what {@link #look} finds: adds, switches, and (unless {@code keepOld}) removes the old
     * passwords. Returns the users rotated or finished.
     */
    Set<String> run(List<Node> nodes, boolean keepOld) {
        State state = look(nodes);
        requireRedishaAccepted(state);
        if (state.isEmpty()) {
            return Set.of();
        }
        Set<String> users = state.users();
        Map<String, Integer> added = new LinkedHashMap<>();
        for (Held held : state.lacking()) {
            try (Jedis jedis = connect(held.node())) {
                jedis.aclSetUser(held.user(), ">" + secrets.password(held.user()));
            }
            added.merge(held.user(), 1, Integer::sum);
        }
        added.forEach((user, count) -> progress.step("password of user " + user + ": the new one added beside the old on "
                + count + " node" + (count == 1 ? "" : "s")));
        switchUsers(nodes, users);
        persist(nodes);
        if (keepOld) {
            progress.step("passwords of " + String.join(", ", users) + ": the old ones are kept until redisha up runs"
                    + " without --keep-old-passwords");
            return users;
        }
        for (Node node : running(nodes)) {
            try (Jedis jedis = connect(node)) {
                for (User user : usersOf(node)) {
                    if (users.contains(user.name())) {
                        jedis.aclSetUser(user.name(), "resetpass", ">" + secrets.password(user.name()));
                    }
                }
            }
        }
        persist(nodes);
        progress.step("passwords of " + String.join(", ", users) + " rotated: the old ones are refused from now on");
        return users;
    }

    /**
     * @throws ChangeRefusedException when nodes refuse redisha's own password: it logs in with it, so it
     *                                cannot rotate it this way
     */
    static void requireRedishaAccepted(State state) {
        if (!state.refusingRedisha().isEmpty()) {
            throw new ChangeRefusedException(String.join(", ", state.refusingRedisha()) + " refuse the password of user "
                    + Users.ADMIN + " after it was given to them; put the former one back (docs/users.md)");
        }
    }

    /** Every component that logs in as one of {@code users} uses its new password from now on. */
    private void switchUsers(List<Node> nodes, Set<String> users) {
        String master = topology.sentinels().masterName();
        int redisNodes = 0;
        int sentinels = 0;
        for (Node node : running(nodes)) {
            try (Jedis jedis = connect(node)) {
                if (node.service() != Service.SENTINEL) {
                    if (users.contains(Users.REPLICATION)) {
                        jedis.configSet("masterauth", secrets.password(Users.REPLICATION));
                        redisNodes++;
                    }
                    continue;
                }
                if (users.contains(Users.SENTINEL)) {
                    jedis.sentinelSet(master, Map.of("auth-pass", secrets.password(Users.SENTINEL)));
                }
                if (users.contains(Users.SENTINEL_PEER)) {
                    jedis.sendCommand(Protocol.Command.SENTINEL, "CONFIG", "SET", "sentinel-pass",
                            secrets.password(Users.SENTINEL_PEER));
                }
                sentinels++;
            }
        }
        if (redisNodes > 0) {
            progress.step("masterauth: the replication user's new password on " + redisNodes + " Redis nodes");
        }
        if (users.contains(Users.SENTINEL)) {
            progress.step("sentinel auth-pass: the sentinel user's new password on " + sentinels + " Sentinels");
        }
        if (users.contains(Users.SENTINEL_PEER)) {
            progress.step("sentinel sentinel-pass: the sentinel-peer user's new password on " + sentinels + " Sentinels");
        }
    }

    /** Writes the users (as hashes) and the passwords components log in with into each node's file. */
    private void persist(List<Node> nodes) {
        for (Node node : running(nodes)) {
            try (Jedis jedis = connect(node)) {
                saveConfig(jedis, node);
            }
        }
    }

    /** Writes what was changed at run time into the node's file: CONFIG REWRITE, or SENTINEL FLUSHCONFIG on a Sentinel. */
    static void saveConfig(Jedis jedis, Node node) {
        if (node.service() == Service.SENTINEL) {
            jedis.sendCommand(Protocol.Command.SENTINEL, "FLUSHCONFIG");
        } else {
            jedis.configRewrite();
        }
    }

    /** What status says while old passwords are still accepted; null when none are. */
    String halfDoneWarning(List<Node> nodes) {
        State state = look(nodes);
        if (state.halfDone().isEmpty()) {
            return null;
        }
        Map<String, Integer> byUser = new LinkedHashMap<>();
        state.halfDone().forEach(h -> byUser.merge(h.user(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        byUser.forEach((user, count) -> parts.add(user + " (" + count + " node" + (count == 1 ? "" : "s") + ")"));
        return "password rotation half done: " + String.join(", ", parts) + " still accept the old password;"
                + " redisha up removes it";
    }

    /** The nodes that run and can be dialled. */
    static List<Node> running(List<Node> nodes) {
        return nodes.stream().filter(n -> n.isRunning() && n.dial() != null).toList();
    }

    private Jedis connect(Node node) {
        return node.service() == Service.SENTINEL ? redis.sentinel(node.nameAddress()) : redis.redis(node.nameAddress());
    }
}
