package io.redisha.cluster;

import io.redisha.backend.Backend;
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
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.AccessControlUser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Moves a running deployment made with one password ({@code auth.password-*}, the {@code default} user)
 * to the topology's ACL users in place, in stages that each keep every client working:
 * <ol>
 *   <li>every user is created on every node ({@code ACL SETUSER}) while {@code default} keeps its password;</li>
 *   <li>the components log in as their users from now on: the replicas' {@code masteruser}/{@code masterauth},
 *       the Sentinels' {@code auth-user}/{@code auth-pass} and {@code sentinel-user}/{@code sentinel-pass}, the
 *       restart protection's copy; each node writes it to its file;</li>
 *   <li>{@code default} is turned off (new logins with the former password are refused, connections
 *       already logged in stay so), at once or by a later run, and written again.</li>
 * </ol>
 * The nodes concerned are those whose label records the single-password mode; to log in to one still
 * without users, redisha uses the password its own configuration file holds, in memory only.
 */
final class UsersMigration {
    /** Nodes made with one password that have no users yet, and running nodes whose {@code default} is still on. */
    record State(List<Node> lacking, List<Node> defaultOn) {
        boolean isEmpty() {
            return lacking.isEmpty() && defaultOn.isEmpty();
        }

        /** What {@code up --dry-run} shows, by node name. */
        Map<String, String> steps(boolean keepOld) {
            String last = keepOld ? "the default user keeps its password until redisha up runs without --keep-old-passwords"
                    : "then the default user turned off";
            Map<String, String> steps = new LinkedHashMap<>();
            lacking.forEach(n -> steps.put(n.name(), "from one password to users: 1. the users created beside the default"
                    + " user, 2. the components switched to their users, 3. " + last));
            defaultOn.stream().filter(n -> !lacking.contains(n)).forEach(n -> steps.put(n.name(), keepOld
                    ? "from one password to users: " + last : "from one password to users: 3. the default user turned off"));
            return steps;
        }
    }

    private final Topology topology;
    private final Secrets secrets;
    private final RedisNodes redis;
    private final Backend backend;
    private final NodeSettings settings;
    private final BiFunction<User, Boolean, String> rules;
    private final Progress progress;

    /** @param rules the rules a user is created with on the topology's server, on a Sentinel or not */
    UsersMigration(Topology topology, Secrets secrets, RedisNodes redis, Backend backend, NodeSettings settings,
                   BiFunction<User, Boolean, String> rules, Progress progress) {
        this.topology = topology;
        this.secrets = secrets;
        this.redis = redis;
        this.backend = backend;
        this.settings = settings;
        this.rules = rules;
        this.progress = progress;
    }

    /**
     * Asks every running node; a node that cannot be asked is left out (the readiness wait reports it).
     * Nothing is found unless a node made with one password runs: a {@code default} turned on by hand
     * elsewhere is {@link UserDrift}'s.
     */
    State look(List<Node> nodes) {
        List<Node> lacking = new ArrayList<>();
        List<Node> defaultOn = new ArrayList<>();
        List<Node> running = running(nodes);
        if (!topology.auth().hasUsers() || !backend.rotatesPasswordsInPlace() || running.stream().noneMatch(settings::madeWithOnePassword)) {
            return new State(lacking, defaultOn);
        }
        for (Node node : running) {
            try (Jedis jedis = connect(node)) {
                AccessControlUser user = jedis.aclGetUser("default");
                if (user != null && user.getFlags().contains("on")) {
                    defaultOn.add(node);
                }
            } catch (JedisAccessControlException e) {
                if (settings.madeWithOnePassword(node)) {
                    lacking.add(node);
                }
            } catch (JedisException e) {
                // unreachable now: left to the readiness wait
            }
        }
        return new State(lacking, defaultOn);
    }

    /**
     * Takes the stages {@link #look} finds due: creates the users and switches the components, and (unless
     * {@code keepOld}) turns {@code default} off. Returns what was found.
     *
     * @throws ChangeRefusedException (nothing changed) when a node without users accepts none of the passwords
     *                                its configuration holds
     */
    State run(List<Node> nodes, boolean keepOld) {
        State state = look(nodes);
        if (state.isEmpty()) {
            return state;
        }
        Map<Node, String> former = new LinkedHashMap<>();
        for (Node node : state.lacking()) {
            former.put(node, formerPassword(node));
        }
        List<Node> concerned = new ArrayList<>(state.lacking());
        state.defaultOn().stream().filter(n -> !concerned.contains(n)).forEach(concerned::add);
        int created = 0;
        for (Node node : concerned) {
            try (Jedis jedis = former.containsKey(node) ? redis.withPassword(node.nameAddress(), former.get(node)) : connect(node)) {
                created += createUsers(jedis, node);
            }
        }
        if (created > 0) {
            progress.step("users: " + created + " created on " + state.lacking().size() + " nodes beside the default user,"
                    + " which keeps its password");
        }
        switchComponents(concerned);
        persist(concerned);
        if (keepOld) {
            progress.step("users: the default user keeps the former password until redisha up runs without"
                    + " --keep-old-passwords; applications log in as their users meanwhile");
            return state;
        }
        for (Node node : concerned) {
            try (Jedis jedis = connect(node)) {
                jedis.aclSetUser("default", "off", "resetpass");
                if (node.service() != Service.SENTINEL) {
                    // the file's requirepass line goes too; it leaves default without a password (nopass), and off
                    jedis.configSet("requirepass", "");
                    jedis.aclSetUser("default", "off", "resetpass");
                }
            }
        }
        persist(concerned);
        progress.step("users: the default user is off on " + concerned.size() + " nodes; a login with the former password"
                + " is refused from now on");
        return state;
    }

    /** The password hashes the {@code default} user of that kind of node holds while it is kept on; null when it is not. */
    List<String> keptDefault(State state, boolean sentinel) {
        List<Node> nodes = new ArrayList<>(state.lacking());
        nodes.addAll(state.defaultOn());
        for (Node node : running(nodes)) {
            if ((node.service() == Service.SENTINEL) != sentinel) {
                continue;
            }
            try (Jedis jedis = connect(node)) {
                AccessControlUser user = jedis.aclGetUser("default");
                if (user != null && user.getFlags().contains("on")) {
                    return List.copyOf(user.getPasswords());
                }
            } catch (JedisException e) {
                // another node of that kind may answer
            }
        }
        return null;
    }

    private int createUsers(Jedis jedis, Node node) {
        boolean sentinel = node.service() == Service.SENTINEL;
        int created = 0;
        for (User user : topology.auth().users().values()) {
            if (Users.on(user.name(), sentinel) && jedis.aclGetUser(user.name()) == null) {
                jedis.aclSetUser(user.name(), ("reset on #" + UserPasswords.hash(secrets.password(user.name())) + " "
                        + rules.apply(user, sentinel)).strip().split("\\s+"));
                created++;
            }
        }
        return created;
    }

    /** The replicas, the Sentinels and the restart protection log in as their users from now on. */
    private void switchComponents(List<Node> nodes) {
        String master = topology.sentinels().masterName();
        int redisNodes = 0;
        int sentinels = 0;
        int protections = 0;
        for (Node node : nodes) {
            try (Jedis jedis = connect(node)) {
                if (node.service() == Service.SENTINEL) {
                    Map<String, String> auth = new LinkedHashMap<>();
                    auth.put("auth-user", Users.SENTINEL);
                    auth.put("auth-pass", secrets.password(Users.SENTINEL));
                    jedis.sentinelSet(master, auth);
                    String peer = secrets.password(Users.SENTINEL_PEER);
                    try {
                        jedis.sendCommand(Protocol.Command.SENTINEL, "CONFIG", "SET", "sentinel-user", Users.SENTINEL_PEER,
                                "sentinel-pass", peer);
                    } catch (JedisDataException e) {
                        // a Sentinel that sets one option at a time (before 7.2)
                        jedis.sendCommand(Protocol.Command.SENTINEL, "CONFIG", "SET", "sentinel-user", Users.SENTINEL_PEER);
                        jedis.sendCommand(Protocol.Command.SENTINEL, "CONFIG", "SET", "sentinel-pass", peer);
                    }
                    sentinels++;
                    continue;
                }
                jedis.configSet("masteruser", Users.REPLICATION, "masterauth", secrets.password(Users.REPLICATION));
                redisNodes++;
            }
            if (backend.protectAsUser(node)) {
                protections++;
            }
        }
        if (redisNodes > 0) {
            progress.step("masteruser, masterauth: the replication user on " + redisNodes + " Redis nodes");
        }
        if (sentinels > 0) {
            progress.step("sentinel auth-user, sentinel-user: the sentinel and sentinel-peer users on " + sentinels + " Sentinels");
        }
        if (protections > 0) {
            progress.step("restart protection: logs in as user " + Users.ADMIN + " on " + protections + " Redis nodes");
        }
    }

    private void persist(List<Node> nodes) {
        for (Node node : nodes) {
            try (Jedis jedis = connect(node)) {
                PasswordRotation.saveConfig(jedis, node);
            }
        }
    }

    /** The password among those the node's configuration file holds (or none) that the node accepts now. */
    private String formerPassword(Node node) {
        String config = SinglePasswordRotation.configuration(backend, node).orElseThrow(() -> new ChangeRefusedException(
                node.name() + " has no users yet, and its password cannot be read on " + backend.describe()
                + " to add them in place; up --allow-downtime creates every node again (nothing was changed)"));
        List<String> candidates = new ArrayList<>(SinglePasswordRotation.candidates(config));
        candidates.add(null);
        return SinglePasswordRotation.accepted(redis, node, candidates).orElseThrow(() -> new ChangeRefusedException(
                node.name() + " has no users yet and refuses every password its configuration holds, so they cannot be"
                + " added in place (nothing was changed)")).password();
    }

    /** What status says while the default user still accepts the former password; null when it does not. */
    String halfDoneWarning(List<Node> nodes) {
        State state = look(nodes);
        if (state.isEmpty()) {
            return null;
        }
        if (!state.lacking().isEmpty()) {
            return "from one password to users: " + state.lacking().size() + " nodes have no users yet; redisha up adds them";
        }
        int count = state.defaultOn().size();
        return "from one password to users half done: the default user still accepts the former password on " + count
                + " node" + (count == 1 ? "" : "s") + "; redisha up turns it off";
    }

    private static List<Node> running(List<Node> nodes) {
        return nodes.stream().filter(n -> n.isRunning() && n.dial() != null).toList();
    }

    private Jedis connect(Node node) {
        return node.service() == Service.SENTINEL ? redis.sentinel(node.nameAddress()) : redis.redis(node.nameAddress());
    }
}
