package io.redisha.backend.docker;

import io.redisha.backend.BackendException;
import io.redisha.backend.Node;
import io.redisha.backend.Snapshots;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/** {@link Snapshots} on one engine: files through the Engine API's archives, checks in throw-away containers. */
final class EngineSnapshots implements Snapshots {
    /** Longest a check may take: redis-check-rdb reads about 100 MB in a few seconds. */
    private static final int CHECK_TIMEOUT_SECONDS = 600;

    private final DockerEngine engine;
    private final String project;

    EngineSnapshots(DockerEngine engine, String project) {
        this.engine = engine;
        this.project = project;
    }

    @Override
    public long copyOut(Node node, String path, OutputStream out, LongConsumer copied) {
        return engine.copyOut(node.id(), path, out, copied);
    }

    @Override
    public void removeFile(Node node, String path) {
        long code = engine.exec(node.id(), List.of("rm", "-f", "--", path));
        if (code != 0) {
            throw new BackendException("could not remove " + path + " from " + node.name() + " (rm exited " + code + ")");
        }
    }

    @Override
    public Run runOver(String image, String program, List<String> args, Path file) {
        Map<String, String> labels = Labels.project(project);
        labels.put(Labels.PROBE, "true");
        DockerEngine.Ran ran = engine.runOver(image, program, args, CHECKED_FILE, file, labels, CHECK_TIMEOUT_SECONDS);
        return new Run(ran.exitCode(), String.join("\n", ran.output()));
    }

    /**
     * The marker of a node's first start goes in with the file, so that its start script starts the
     * server at once; the image's entrypoint hands the data directory to the server's user.
     */
    @Override
    public void restartWith(Node node, String path, Path file) {
        engine.stop(node.id());
        engine.copyIn(node.id(), path, file);
        try {
            Path marker = Files.createTempFile("redisha-first-start", "");
            try {
                engine.copyIn(node.id(), SingleEngineBackend.FIRST_START_PATH, marker);
            } finally {
                Files.deleteIfExists(marker);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        engine.start(node.id());
    }
}
