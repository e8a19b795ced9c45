package io.redisha.backend.docker;

import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import io.redisha.backend.EngineState;
import io.redisha.backend.EngineState.Problem;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Looks at the engine DOCKER_HOST names (or the default socket) for redisha doctor: the socket, then the engine's answer. */
public final class EngineProbe {
    private EngineProbe() {
    }

    /** The engine that DOCKER_HOST (or the default socket) names. */
    public static EngineState probe() {
        return probe(null);
    }

    /** @param dockerHost the engine's address, or null for DOCKER_HOST's (or the default socket) */
    public static EngineState probe(String dockerHost) {
        var builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (dockerHost != null) {
            builder.withDockerHost(dockerHost);
        }
        URI host = builder.build().getDockerHost();
        if ("unix".equals(host.getScheme())) {
            Path socket = Path.of(host.getPath());
            if (!Files.exists(socket)) {
                return new EngineState(host.toString(), Problem.SOCKET_MISSING, null, null, null);
            }
            if (!Files.isReadable(socket) || !Files.isWritable(socket)) {
                return new EngineState(host.toString(), Problem.SOCKET_DENIED, null, null, null);
            }
        }
        try (DockerClients.Connection connection = DockerClients.connect(host.toString(), "")) {
            Version version = connection.client().versionCmd().exec();
            return new EngineState(host.toString(), Problem.NONE, null, version.getVersion(), version.getApiVersion());
        } catch (RuntimeException e) {
            return new EngineState(host.toString(), Problem.UNREACHABLE, DockerClients.rootMessage(e), null, null);
        }
    }
}
