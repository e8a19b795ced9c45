package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.sentinel.RedisNodes;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.Users;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Changes the password of redisha's own ACL user in place. redisha logs in with it and the nodes keep only
 * its hash, so the password they still accept is read where it is kept in clear: each Redis node's restart
 * protection logs in to the Sentinels as this user, from a copy in the node (mode 0600). Logged in with it,
 * redisha adds the new password beside it on every Redis node and Sentinel ({@code >new}), persists, and
 * gives the restart protection the new one; {@link PasswordRotation} then removes the former like any user's
 * (or a later {@code up}, with {@code --keep-old-passwords}). The former password stays in memory only.
 */
final class AdminPasswordRotation {
    private final Topology topology;
    private final Secrets secrets;
    private final RedisNodes redis;
    private final Backend backend;
    private final NodeSettings settings;
    private final Progress progress;

    AdminPasswordRotation(Topology topology, Secrets secrets, RedisNodes redis, Backend backend, NodeSettings settings,
                          Progress progress) {
        this.topology = topology;
        this.secrets = secrets;
        this.redis = redis;
        this.backend = backend;
        this.settings = settings;
        this.progress = progress;
    }

    /** The running nodes that refuse the topology's password of redisha's user; none without users. */
    List<Node> refusing(List<Node> nodes) {
        List<Node> refusing = new ArrayList<>();
        if (!topology.auth().hasUsers()) {
            return refusing;
        }
        for (Node node : PasswordRotation.running(nodes)) {
            try (Jedis jedis = login(node, secrets.password(Users.ADMIN))) {
                jedis.ping();
            } catch (JedisAccessControlException e) {
                refusing.add(node);
            } catch (JedisException e) {
                // unreachable now: left to the readiness wait
            }
        }
        return refusing;
    }

    /** What {@code up --dry-run} shows for the nodes that refuse the new password. */
    Map<String, String> steps(List<Node> nodes) {
        Map<String, String> steps = new LinkedHashMap<>();
        List<Node> refusing = refusing(nodes);
        if (former(nodes, refusing).isPresent()) {
            refusing.forEach(n -> steps.put(n.name(), "password of user " + Users.ADMIN + " (redisha's own): the new one"
                    + " added beside the former, which the restart protection's copy holds, then the former removed"));
        }
        return steps;
    }

    /**
     * Gives every running node the topology's password of redisha's user beside the former one, when some
     * refuse it; false when none does.
     *
     * @throws ChangeRefusedException (nothing changed) when no node's copy holds a password they accept
     */
    boolean run(List<Node> nodes) {
        List<Node> refusing = refusing(nodes);
        Optional<String> found = former(nodes, refusing);
        if (found.isEmpty()) {
            return false;
        }
        String former = found.get();
        String wanted = secrets.password(Users.ADMIN);
        for (Node node : refusing) {
            try (Jedis jedis = login(node, former)) {
                jedis.aclSetUser(Users.ADMIN, ">" + wanted);
                PasswordRotation.saveConfig(jedis, node);
            }
        }
        progress.step("password of user " + Users.ADMIN + ": the new one added beside the former on " + refusing.size()
                + " node" + (refusing.size() == 1 ? "" : "s"));
        renewProtections(nodes);
        return true;
    }

    /**
     * Gives the restart protection of every running Redis node whose copy differs the topology's password of
     * redisha's user: after it was added, and again while the former is still accepted (a run stopped between
     * the two leaves copies behind).
     */
    void renewProtections(List<Node> nodes) {
        String wanted = secrets.password(Users.ADMIN);
        int renewed = 0;
        for (Node node : PasswordRotation.running(nodes)) {
            if (node.service() != Service.SENTINEL && !copy(node).map(wanted::equals).orElse(true)
                    && backend.renewProtectionPassword(node)) {
                renewed++;
            }
        }
        if (renewed > 0) {
            progress.step("restart protection: the new password of user " + Users.ADMIN + " on " + renewed
                    + " Redis node" + (renewed == 1 ? "" : "s"));
        }
    }

    /**
     * The password the refusing nodes accept, from a Redis node's restart protection; empty when none refuses,
     * or when they are nodes made with one password, which have no such user yet ({@link UsersMigration}).
     */
    private Optional<String> former(List<Node> nodes, List<Node> refusing) {
        if (refusing.isEmpty()) {
            return Optional.empty();
        }
        Node first = refusing.get(0);
        for (Node node : PasswordRotation.running(nodes)) {
            if (node.service() == Service.SENTINEL) {
                continue;
            }
            Optional<String> copy = copy(node);
            if (copy.isPresent() && accepted(first, copy.get())) {
                return copy;
            }
        }
        if (refusing.stream().allMatch(settings::madeWithOnePassword)) {
            return Optional.empty();
        }
        throw new ChangeRefusedException(names(refusing) + " refuse the password of user " + Users.ADMIN + ", and no Redis"
                + " node's restart protection keeps one they accept (master.restart-protection is off, or on Swarm"
                + " swarm.engines names no host's engine); put the former password back (nothing was changed; docs/users.md)");
    }

    /** The password a Redis node's restart protection keeps; empty when it has none or it cannot be read now. */
    private Optional<String> copy(Node node) {
        try {
            return backend.protectionPassword(node);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean accepted(Node node, String password) {
        try (Jedis jedis = login(node, password)) {
            jedis.ping();
            return true;
        } catch (JedisException e) {
            return false;
        }
    }

    private Jedis login(Node node, String password) {
        return new Jedis(RedisNodes.hostAndPort(node.nameAddress()), redis.userConfig(Users.ADMIN, password,
                Cluster.PROBE_TIMEOUT_MILLIS, Cluster.PROBE_TIMEOUT_MILLIS));
    }

    private static String names(List<Node> nodes) {
        return String.join(", ", nodes.stream().map(Node::name).toList());
    }
}
