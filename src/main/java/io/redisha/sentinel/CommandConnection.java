package io.redisha.sentinel;

import io.redisha.backend.Endpoint;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.util.RedisInputStream;
import redis.clients.jedis.util.SafeEncoder;

import java.util.List;

/**
 * A connection for commands a user types, made like every redisha connection (address mapper,
 * password from the topology), whose replies keep their types ({@link Reply}).
 */
public final class CommandConnection implements AutoCloseable {
    private final TypedConnection connection;

    /**
     * Connects and authenticates within the config's timeouts; replies are then awaited up to
     * {@code replyMillis}.
     *
     * @param config      from {@link RedisNodes#redisConfig(int, int)} or {@link RedisNodes#sentinelConfig(int, int)}
     * @param replyMillis longest wait for a reply once connected, 0 for no limit (a blocking command may wait long)
     * @throws redis.clients.jedis.exceptions.JedisException when the node cannot be reached or refuses the password
     */
    public CommandConnection(Endpoint networkAddress, JedisClientConfig config, int replyMillis) {
        this.connection = new TypedConnection(RedisNodes.hostAndPort(networkAddress), config);
        this.connection.setSoTimeout(replyMillis);
        this.connection.typed = true;
    }

    /**
     * Sends one command and reads its reply; an error reply is a {@link Reply.Error}, not an exception.
     *
     * @throws redis.clients.jedis.exceptions.JedisConnectionException when the connection fails
     */
    public Reply send(List<byte[]> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        byte[] name = command.get(0);
        CommandArguments args = new CommandArguments(() -> name);
        command.subList(1, command.size()).forEach(args::add);
        connection.sendCommand(args);
        return next();
    }

    /** The command's words as UTF-8. */
    public static List<byte[]> words(List<String> command) {
        return command.stream().map(SafeEncoder::encode).toList();
    }

    /** The next reply, for commands that go on sending (SUBSCRIBE, MONITOR). */
    public Reply next() {
        return (Reply) connection.getOne();
    }

    public boolean isBroken() {
        return connection.isBroken();
    }

    @Override
    public void close() {
        connection.close();
    }

    /** Jedis' connection (address mapping, AUTH, timeouts), reading replies with their types once set up. */
    private static final class TypedConnection extends Connection {
        /** False while Jedis itself talks to the server (AUTH, CLIENT SETNAME), which needs its own replies. */
        private volatile boolean typed;

        TypedConnection(HostAndPort address, JedisClientConfig config) {
            super(address, config);
        }

        @Override
        protected Object protocolRead(RedisInputStream in) {
            return typed ? RespReader.read(in) : super.protocolRead(in);
        }
    }
}
