package io.redisha.backend.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import io.redisha.backend.BackendException;
import io.redisha.backend.docker.DockerClients;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static io.redisha.backend.docker.DockerClients.rootMessage;

/**
 * The door to a Swarm manager's Engine API: docker-java for what its model covers, and a raw GET of
 * /tasks for the tasks' network addresses, which docker-java's Task model leaves out. Every failure
 * becomes a {@link BackendException} naming the operation.
 */
final class SwarmApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SwarmApi.class);

    final DockerClient client;
    private final DockerHttpClient http;
    final String host;

    private SwarmApi(DockerClients.Connection connection) {
        this.client = connection.client();
        this.http = connection.http();
        this.host = connection.host();
    }

    static SwarmApi connect() {
        return new SwarmApi(DockerClients.connect(null, "for platform: swarm set DOCKER_HOST to a Swarm manager"));
    }

    /** The engine at this DOCKER_HOST value (one host of the swarm), with the environment's other settings. */
    static SwarmApi connect(String dockerHost) {
        return new SwarmApi(DockerClients.connect(dockerHost, "check swarm.engines"));
    }

    /** One call; a failure says what was being done. Managers briefly without a leader are retried. */
    <T> T call(String what, Supplier<T> action) {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                T result = action.get();
                LOG.trace("{}: {} ms", what, (System.nanoTime() - start) / 1_000_000);
                return result;
            } catch (BackendException e) {
                throw e;
            } catch (DockerException e) {
                String message = e.getMessage() == null ? "" : e.getMessage();
                if (message.contains("does not have a leader") && System.nanoTime() < deadline) {
                    pause(500);
                    continue;
                }
                throw new BackendException("the Swarm manager refused " + what + ": " + message.strip(), e);
            } catch (RuntimeException e) {
                throw new BackendException(what + " failed: " + rootMessage(e), e);
            }
        }
    }

    void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    /** Task states before {@code assigned} and from {@code complete} on: Swarm's task reaper deletes such a task once it is to be removed. */
    private static final Set<String> REAPED_STATES = Set.of("new", "allocated", "pending",
            "complete", "shutdown", "failed", "rejected", "remove", "orphaned");

    /** Whether Swarm's task reaper is about to delete this task: its desired state is remove and it no longer runs. */
    static boolean beingReaped(JsonNode task) {
        return "remove".equals(task.path("DesiredState").asText())
                && REAPED_STATES.contains(task.path("Status").path("State").asText());
    }

    /**
     * Removes a service, once Swarm's task reaper has deleted the tasks a scale-down left it (at most
     * 10 s). Removing it while the reaper deletes them makes the leader's orchestrator read a task
     * that is gone: swarmkit before its fix of November 2025 (Debian's docker.io 20.10 and 26.1 among them)
     * then dies with a nil pointer in SetServiceTasksRemove, and the manager's engine with it.
     */
    void removeService(String id, String name) {
        Poll<Void> reaped = Await.quietly().every(Duration.ofMillis(100)).until(Await.deadline(Duration.ofSeconds(10)),
                () -> Poll.unless(tasks(List.of(id)).stream().anyMatch(SwarmApi::beingReaped) ? name + "'s tasks are being deleted" : null));
        if (!reaped.done()) {
            LOG.debug("removing service {} while Swarm still deletes its stopped tasks", name);
        }
        run("removing service " + name, () -> {
            try {
                client.removeServiceCmd(id).exec();
            } catch (NotFoundException e) {
                // already gone
            }
        });
    }

    /** The tasks of the given services, as the Engine API returns them (with NetworksAttachments). */
    List<JsonNode> tasks(List<String> serviceIds) {
        if (serviceIds.isEmpty()) {
            return List.of();
        }
        String filters = URLEncoder.encode(JSON.valueToTree(Map.of("service", serviceIds)).toString(),
                StandardCharsets.UTF_8);
        return call("listing tasks", () -> {
            DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.GET).path("/tasks?filters=" + filters).build();
            try (DockerHttpClient.Response response = http.execute(request); InputStream body = response.getBody()) {
                JsonNode tree = JSON.readTree(body);
                if (response.getStatusCode() != 200 || !tree.isArray()) {
                    String message = tree.path("message").asText("status " + response.getStatusCode());
                    if (message.contains("does not have a leader")) {
                        throw new com.github.dockerjava.api.exception.InternalServerErrorException(message);
                    }
                    throw new BackendException("the Swarm manager refused listing tasks: " + message);
                }
                List<JsonNode> tasks = new ArrayList<>();
                tree.forEach(tasks::add);
                return tasks;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * Creates a secret holding exactly these bytes; returns its id. docker-java's SecretSpec
     * base64-encodes a String it turns into bytes with the platform charset, so its data is written here.
     */
    String createSecret(String name, byte[] data, Map<String, String> labels) {
        com.fasterxml.jackson.databind.node.ObjectNode spec = JSON.createObjectNode();
        spec.put("Name", name);
        spec.set("Labels", JSON.valueToTree(labels));
        spec.put("Data", java.util.Base64.getEncoder().encodeToString(data));
        return call("creating secret " + name, () -> {
            DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.POST).path("/secrets/create")
                    .putHeader("Content-Type", "application/json")
                    .body(new java.io.ByteArrayInputStream(spec.toString().getBytes(StandardCharsets.UTF_8))).build();
            try (DockerHttpClient.Response response = http.execute(request); InputStream body = response.getBody()) {
                JsonNode tree = JSON.readTree(body);
                if (response.getStatusCode() != 201) {
                    String message = tree.path("message").asText("status " + response.getStatusCode());
                    if (message.contains("does not have a leader")) {
                        throw new com.github.dockerjava.api.exception.InternalServerErrorException(message);
                    }
                    throw new BackendException("the Swarm manager refused creating secret " + name + ": " + message);
                }
                return tree.path("ID").asText();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted", e);
        }
    }

    @Override
    public void close() {
        DockerClients.closeQuietly(client);
    }
}
