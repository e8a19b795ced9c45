package io.redisha.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import io.redisha.backend.EngineUnavailableException;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;

import javax.net.ssl.SSLContext;

/**
 * The one place where docker-java clients are made, for the single engine and for a Swarm's
 * manager and hosts alike: the same connection pool, timeouts and TLS handling for every engine.
 */
public final class DockerClients {
    /** Connections kept to one engine: the orchestrator works on every node at once. */
    static final int MAX_CONNECTIONS = 32;
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** Longest silence of the engine within a response (an image build answers as it goes). */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(120);

    /**
     * For an engine reached without TLS (a unix socket, or plain TCP): without an SSL context of its
     * own, the HTTP client would build the system's default one, reading and parsing every trusted CA
     * certificate at each start, for a connection that never uses TLS.
     */
    private static final SSLConfig NO_TLS = () -> SSLContext.getInstance("TLS");

    private DockerClients() {
    }

    /**
     * A client of one engine, with the raw HTTP client under it for what docker-java's model leaves
     * out; closing it closes both.
     */
    public record Connection(DockerClient client, DockerHttpClient http, DockerClientConfig config, String host)
            implements AutoCloseable {

        /** Another client of the same engine with no response timeout, for a stream that may stay quiet (a followed log). */
        public DockerClient streaming() {
            return DockerClientImpl.getInstance(config, httpClient(config, Duration.ZERO));
        }

        @Override
        public void close() {
            closeQuietly(client);
        }
    }

    /**
     * Connects to the engine DOCKER_HOST names (or the default socket), or to {@code dockerHost} when
     * not null, and checks that it answers.
     *
     * @param hint what to do when it does not answer, for the message
     * @throws EngineUnavailableException when it does not answer
     */
    public static Connection connect(String dockerHost, String hint) {
        var builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (dockerHost != null) {
            builder.withDockerHost(dockerHost);
        }
        DockerClientConfig config = builder.build();
        DockerHttpClient http = httpClient(config, RESPONSE_TIMEOUT);
        Connection connection = new Connection(DockerClientImpl.getInstance(config, http), http, config,
                config.getDockerHost().toString());
        try {
            connection.client().pingCmd().exec();
        } catch (RuntimeException e) {
            connection.close();
            throw new EngineUnavailableException("the Docker engine at " + connection.host() + " does not answer ("
                    + rootMessage(e) + "); " + hint, e);
        }
        return connection;
    }

    /** @param responseTimeout longest silence of the engine within a response; zero for none */
    private static DockerHttpClient httpClient(DockerClientConfig config, Duration responseTimeout) {
        return new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig() != null ? config.getSSLConfig() : NO_TLS)
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(CONNECTION_TIMEOUT)
                .responseTimeout(responseTimeout)
                .build();
    }

    public static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException e) {
            // closing a connection pool; nothing to undo
            LoggerFactory.getLogger(DockerClients.class).debug("closing the Docker client", e);
        }
    }

    /** The message of the innermost cause, for one-line errors. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.strip();
    }
}
