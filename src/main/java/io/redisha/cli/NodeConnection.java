package io.redisha.cli;

import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.cluster.NodeSelector;
import io.redisha.cluster.NotReadyException;
import io.redisha.sentinel.CommandConnection;
import io.redisha.sentinel.RedisNodes;
import io.redisha.sentinel.Reply;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

import java.util.List;

/**
 * The connection of {@code redisha cli} to the node a name means, through redisha's address mapper
 * and with the topology's password. After a lost connection the next command names the node again,
 * so that {@code master} follows a failover.
 */
final class NodeConnection implements AutoCloseable {
    private static final int CONNECT_MILLIS = 5000;

    private final Session session;
    private final String name;
    private final boolean sentinelByDefault;
    private final int replyMillis;
    private final Login login;
    private Node node;
    private CommandConnection connection;

    /** Another ACL user than redisha's to log in as, with its password (never printed). */
    record Login(String user, String password) {
        @Override
        public String toString() {
            return "Login[user=" + user + "]";
        }
    }

    /**
     * @param name              the node's name, or null for the current master (or a Sentinel)
     * @param sentinelByDefault without a name, a running Sentinel rather than the master
     * @param replyMillis       longest wait for a reply, 0 for no limit
     */
    NodeConnection(Session session, String name, boolean sentinelByDefault, int replyMillis) {
        this(session, name, sentinelByDefault, replyMillis, null);
    }

    /** @param login the user to log in as, or null for redisha's own login */
    NodeConnection(Session session, String name, boolean sentinelByDefault, int replyMillis, Login login) {
        this.login = login;
        this.session = session;
        this.name = name;
        this.sentinelByDefault = sentinelByDefault;
        this.replyMillis = replyMillis;
    }

    /** The node's short name, for the prompt (before the first connection: the name given). */
    String label() {
        return node != null ? NodeSelector.shortName(node) : name != null ? name : NodeSelector.CURRENT_MASTER;
    }

    /**
     * @throws UserException (exit 10) when the node cannot be reached or refuses the password
     * @throws redis.clients.jedis.exceptions.JedisConnectionException when an open connection fails
     */
    Reply send(List<byte[]> command) {
        connect();
        try {
            return connection.send(command);
        } finally {
            dropIfBroken();
        }
    }

    Reply next() {
        try {
            return connection.next();
        } finally {
            dropIfBroken();
        }
    }

    private void dropIfBroken() {
        if (connection != null && connection.isBroken()) {
            connection.close();
            connection = null;
        }
    }

    /**
     * Connects now rather than at the first command (the prompt then names the node at once).
     *
     * @throws UserException (exit 10) when the node cannot be reached or refuses the password
     */
    void connect() {
        if (connection != null) {
            return;
        }
        node = resolve();
        if (!node.isRunning()) {
            throw new UserException(ExitCodes.COMMAND_FAILED, node.name() + " is " + node.state().label());
        }
        RedisNodes redis = session.cluster.redis();
        JedisClientConfig config = login != null ? redis.userConfig(login.user(), login.password(), CONNECT_MILLIS, CONNECT_MILLIS)
                : node.service() == Service.SENTINEL
                ? redis.sentinelConfig(CONNECT_MILLIS, CONNECT_MILLIS) : redis.redisConfig(CONNECT_MILLIS, CONNECT_MILLIS);
        try {
            // a paused node accepts the connection but never answers AUTH: that wait is bounded
            connection = new CommandConnection(node.nameAddress(), config, replyMillis);
        } catch (JedisException e) {
            throw new UserException(ExitCodes.COMMAND_FAILED, "cannot reach " + node.name() + ": " + e.getMessage(), e);
        }
    }

    private Node resolve() {
        NodeSelector selector = NodeSelector.of(session.cluster.refresh(), session.cluster.redis());
        if (name != null) {
            return selector.one(name);
        }
        if (sentinelByDefault) {
            return session.cluster.deployment().sentinels().stream().filter(Node::isRunning).findFirst()
                    .orElseThrow(() -> new NotReadyException("no Sentinel of project "
                            + session.loaded.topology().project() + " is running"));
        }
        return selector.one(NodeSelector.CURRENT_MASTER);
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
