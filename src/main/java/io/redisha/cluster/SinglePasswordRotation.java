package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.sentinel.RedisNodes;
import io.redisha.sentinel.Template;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.Users;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.AccessControlUser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes the passwords of the single-password mode in place ({@code auth.password-*}, the Redis nodes'
 * {@code requirepass} and {@code masterauth} and the Sentinels' {@code auth-pass}; {@code
 * auth.sentinel-password-*}, the Sentinels' own {@code requirepass} and {@code sentinel-pass}), without a
 * refused connection. {@code requirepass} is the {@code default} user's password, and a user may hold
 * several: the new one is added beside the old ({@code ACL SETUSER default >new}), every component
 * switches to it, and the old is removed ({@code CONFIG SET requirepass} on a Redis node, which also
 * keeps its file's {@code requirepass} line; {@code ACL SETUSER default resetpass >new} on a Sentinel).
 *
 * <p>redisha logs in with these passwords itself, so it must find the old one to add the new: it reads
 * the passwords a node's own configuration file holds ({@code masterauth}, {@code requirepass},
 * {@code sentinel auth-pass}, {@code sentinel sentinel-pass}), in memory only, and logs in with the one
 * the node accepts. Nothing keeps an old password; which node holds which is told by the hashes the
 * node reports ({@code ACL GETUSER default}).
 */
final class SinglePasswordRotation {
    /** The running nodes a rotation concerns: those lacking the new password, those still holding others. */
    record State(List<Node> lacking, List<Node> halfDone) {
        boolean isEmpty() {
            return lacking.isEmpty() && halfDone.isEmpty();
        }

        boolean redis() {
            return concerns(false);
        }

        boolean sentinels() {
            return concerns(true);
        }

        private boolean concerns(boolean sentinel) {
            return lacking.stream().anyMatch(n -> (n.service() == Service.SENTINEL) == sentinel)
                    || halfDone.stream().anyMatch(n -> (n.service() == Service.SENTINEL) == sentinel);
        }

        /** What {@code up --dry-run} shows, by node name. */
        Map<String, String> steps() {
            Map<String, String> steps = new LinkedHashMap<>();
            lacking.forEach(n -> steps.put(n.name(), kind(n) + ": the new one added beside the old, then the old removed"));
            halfDone.forEach(n -> steps.put(n.name(), "old " + kind(n) + " removed"));
            return steps;
        }

        private static String kind(Node n) {
            return n.service() == Service.SENTINEL ? "Sentinel password" : "Redis password";
        }
    }

    private final Topology topology;
    private final Secrets secrets;
    private final RedisNodes redis;
    private final Backend backend;
    private final Progress progress;

    SinglePasswordRotation(Topology topology, Secrets secrets, RedisNodes redis, Backend backend, Progress progress) {
        this.topology = topology;
        this.secrets = secrets;
        this.redis = redis;
        this.backend = backend;
        this.progress = progress;
    }

    private String password(Node node) {
        return node.service() == Service.SENTINEL ? secrets.sentinelPassword() : secrets.redisPassword();
    }

    /** Asks every running node that has a password; one that cannot be asked is left out (the readiness wait reports it). */
    State look(List<Node> nodes) {
        List<Node> lacking = new ArrayList<>();
        List<Node> halfDone = new ArrayList<>();
        if (topology.auth().hasUsers()) {
            return new State(lacking, halfDone);
        }
        for (Node node : running(nodes)) {
            String wanted = password(node);
            if (wanted == null) {
                continue;
            }
            try (Jedis jedis = connect(node)) {
                AccessControlUser user = jedis.aclGetUser("default");
                List<String> hashes = user == null ? List.of() : user.getPasswords();
                if (!hashes.contains(UserPasswords.hash(wanted))) {
                    lacking.add(node);
                } else if (hashes.size() > 1) {
                    halfDone.add(node);
                }
            } catch (JedisAccessControlException e) {
                lacking.add(node);
            } catch (JedisException e) {
                // unreachable now, or a node without a password (its first password is a new container's)
            }
        }
        return new State(lacking, halfDone);
    }

    /**
     * Rotates what {@link #look} finds: adds the new passwords, switches the components, and (unless
     * {@code keepOld}) removes the old. Returns whether there was anything to do.
     *
     * @throws ChangeRefusedException (nothing changed) when a node accepts none of the passwords its own
     *                                configuration holds, or when this backend cannot read it
     */
    boolean run(List<Node> nodes, boolean keepOld) {
        String usersLeft = usersLeft(nodes);
        if (usersLeft != null) {
            throw new ChangeRefusedException(usersLeft);
        }
        State state = look(nodes);
        if (state.isEmpty()) {
            return false;
        }
        Map<Node, String> former = new LinkedHashMap<>();
        for (Node node : state.lacking()) {
            former.put(node, formerPassword(node));
        }
        if (state.sentinels()) {
            // each Redis node's restart protection gets the new Sentinel password in its files: they must be reachable
            for (Node node : running(nodes)) {
                if (node.service().isRedis() && !former.containsKey(node) && configuration(backend, node).isEmpty()) {
                    throw new ChangeRefusedException("the files of " + node.name() + " cannot be reached on "
                            + backend.describe() + " to give its restart protection the new Sentinel password; put the"
                            + " former one back, or up --allow-downtime (nothing was changed)");
                }
            }
        }
        former.forEach((node, old) -> {
            try (Jedis jedis = redis.withPassword(node.nameAddress(), old)) {
                jedis.aclSetUser("default", ">" + password(node));
            }
        });
        if (!former.isEmpty()) {
            progress.step("passwords: the new one added beside the old on " + former.size() + " node"
                    + (former.size() == 1 ? "" : "s"));
        }
        switchComponents(nodes, state);
        persist(nodes);
        if (keepOld) {
            progress.step("passwords: the old ones are kept until redisha up runs without --keep-old-passwords");
            return true;
        }
        for (Node node : running(nodes)) {
            boolean sentinel = node.service() == Service.SENTINEL;
            if (sentinel ? !state.sentinels() : !state.redis()) {
                continue;
            }
            try (Jedis jedis = connect(node)) {
                if (sentinel) {
                    jedis.aclSetUser("default", "resetpass", ">" + password(node));
                } else {
                    // the default user's passwords are the new one alone, and the file's requirepass line says so
                    jedis.configSet("requirepass", password(node));
                }
            }
        }
        persist(nodes);
        progress.step("passwords rotated: the old ones are refused from now on");
        return true;
    }

    /**
     * The refusal when a node still has the users of {@code auth.users}, which the topology no longer declares
     * (it moved to users in place, and going back to one password is not done in place); null when none has.
     */
    String usersLeft(List<Node> nodes) {
        for (Node node : running(nodes)) {
            if (password(node) == null) {
                continue;
            }
            try (Jedis jedis = connect(node)) {
                if (jedis.aclUsers().contains(Users.ADMIN)) {
                    return usersRemoved(node);
                }
            } catch (JedisAccessControlException e) {
                String path = node.service() == Service.SENTINEL ? Naming.SENTINEL_CONFIG_PATH : Naming.REDIS_CONFIG_PATH;
                boolean users = backend.readFile(node, path).map(f -> new String(f, StandardCharsets.UTF_8).lines()
                        .anyMatch(l -> l.strip().startsWith("user " + Users.ADMIN + " "))).orElse(false);
                if (users) {
                    return usersRemoved(node);
                }
            } catch (JedisException e) {
                // unreachable now: left to the readiness wait
            }
        }
        return null;
    }

    private static String usersRemoved(Node node) {
        return "auth.users was removed, and " + node.name() + " has its users: going back to one password is not done in"
                + " place; put auth.users back, or redisha down and up to create the nodes again (nothing was changed)";
    }

    /** The password among those the node's configuration file holds that the node accepts now. */
    private String formerPassword(Node node) {
        String config = configuration(backend, node).orElseThrow(() -> new ChangeRefusedException(node.name()
                + " refuses the topology's password, and its former one cannot be read on " + backend.describe()
                + " to rotate it in place; put the former one back, or up --allow-downtime (nothing was changed)"));
        return accepted(redis, node, candidates(config)).orElseThrow(() -> new ChangeRefusedException(node.name()
                + " refuses the topology's password and every password its configuration holds; put the former one"
                + " back (nothing was changed)")).password();
    }

    /** The node's own configuration file (the Redis node's or the Sentinel's), where the backend can read it. */
    static java.util.Optional<String> configuration(Backend backend, Node node) {
        String path = node.service() == Service.SENTINEL ? Naming.SENTINEL_CONFIG_PATH : Naming.REDIS_CONFIG_PATH;
        return backend.readFile(node, path).map(file -> new String(file, StandardCharsets.UTF_8));
    }

    /** A password a node accepted; {@code password} null: it accepted none at all. */
    record Accepted(String password) {}

    /** The first of {@code candidates} (null: no password) the node accepts now; empty when it accepts none. */
    static java.util.Optional<Accepted> accepted(RedisNodes redis, Node node, List<String> candidates) {
        for (String candidate : candidates) {
            try (Jedis jedis = redis.withPassword(node.nameAddress(), candidate)) {
                jedis.ping();
                return java.util.Optional.of(new Accepted(candidate));
            } catch (JedisAccessControlException e) {
                // not this one
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                if (!String.valueOf(e.getMessage()).startsWith("NOAUTH")) {
                    throw e;
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The passwords a Redis node's or a Sentinel's configuration holds, as written there (unquoted). */
    static List<String> candidates(String config) {
        Set<String> found = new LinkedHashSet<>();
        for (String line : config.split("\n")) {
            String[] words = line.strip().split("[ \t]+", 4);
            String first = words[0].toLowerCase(java.util.Locale.ROOT);
            if (words.length >= 2 && (first.equals("requirepass") || first.equals("masterauth") || first.equals("primaryauth"))) {
                found.add(Template.unquote(line.strip().substring(words[0].length())));
            } else if (first.equals("sentinel") && words.length >= 3) {
                String option = words[1].toLowerCase(java.util.Locale.ROOT);
                if (option.equals("sentinel-pass")) {
                    found.add(Template.unquote(line.strip().split("[ \t]+", 3)[2]));
                } else if (option.equals("auth-pass") && words.length >= 4) {
                    found.add(Template.unquote(words[3]));
                }
            }
        }
        return List.copyOf(found);
    }

    /** Every component that logs in with a rotated password uses the new one from now on. */
    private void switchComponents(List<Node> nodes, State state) {
        String master = topology.sentinels().masterName();
        int redisNodes = 0;
        int sentinels = 0;
        int protections = 0;
        for (Node node : running(nodes)) {
            if (node.service() == Service.SENTINEL) {
                try (Jedis jedis = connect(node)) {
                    if (state.redis()) {
                        jedis.sentinelSet(master, Map.of("auth-pass", secrets.redisPassword()));
                    }
                    if (state.sentinels()) {
                        jedis.sendCommand(Protocol.Command.SENTINEL, "CONFIG", "SET", "sentinel-pass", secrets.sentinelPassword());
                    }
                }
                sentinels++;
                continue;
            }
            if (state.redis()) {
                try (Jedis jedis = connect(node)) {
                    jedis.configSet("masterauth", secrets.redisPassword());
                }
                redisNodes++;
            }
            if (state.sentinels() && backend.renewProtectionPassword(node)) {
                protections++;
            }
        }
        if (redisNodes > 0) {
            progress.step("masterauth: the new Redis password on " + redisNodes + " Redis nodes");
        }
        if (state.redis() && sentinels > 0) {
            progress.step("sentinel auth-pass: the new Redis password on " + sentinels + " Sentinels");
        }
        if (state.sentinels() && sentinels > 0) {
            progress.step("sentinel sentinel-pass: the new Sentinel password on " + sentinels + " Sentinels");
        }
        if (protections > 0) {
            progress.step("restart protection: the new Sentinel password on " + protections + " Redis nodes");
        }
    }

    /** Writes the passwords (the default user's as hashes) into each node's file. */
    private void persist(List<Node> nodes) {
        for (Node node : running(nodes)) {
            if (password(node) == null) {
                continue;
            }
            try (Jedis jedis = connect(node)) {
                PasswordRotation.saveConfig(jedis, node);
            }
        }
    }

    /** What status says while old passwords are still accepted; null when none are. */
    String halfDoneWarning(List<Node> nodes) {
        State state = look(nodes);
        if (state.halfDone().isEmpty()) {
            return null;
        }
        int count = state.halfDone().size();
        return "password rotation half done: " + count + " node" + (count == 1 ? "" : "s")
                + " still accept the old password; redisha up removes it";
    }

    private static List<Node> running(List<Node> nodes) {
        return nodes.stream().filter(n -> n.isRunning() && n.dial() != null).toList();
    }

    private Jedis connect(Node node) {
        return node.service() == Service.SENTINEL ? redis.sentinel(node.nameAddress()) : redis.redis(node.nameAddress());
    }
}
