package io.redisha.backend.docker;

import io.redisha.backend.BackendException;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A container's files on the engine that runs it, reached at its own address: a Swarm task's
 * container lives on its host, and only that host's engine can read its files.
 */
public final class ContainerFiles implements AutoCloseable {
    private final DockerEngine engine;

    private ContainerFiles(DockerEngine engine) {
        this.engine = engine;
    }

    /**
     * Connects to the engine at {@code dockerHost} and checks that it answers.
     *
     * @param hint what to do when it does not answer, for the message
     */
    public static ContainerFiles connect(String dockerHost, String hint) {
        return new ContainerFiles(DockerEngine.connect(dockerHost, hint));
    }

    /** Copies the file at {@code path} in the container to {@code out}; returns its size. */
    public long copyOut(String containerId, String path, OutputStream out, LongConsumer copied) {
        return engine.copyOut(containerId, path, out, copied);
    }

    /** Copies a file of this machine into the container (running or not) as {@code path}, mode 600. */
    public void copyIn(String containerId, String path, Path file) {
        engine.copyIn(containerId, path, file);
    }

    /**
     * Writes files into the container (running or not), each mode 600 and owned as the file {@code ownerOf}
     * is, replacing those that exist: the contents travel in the engine's API only, never a command line.
     */
    public void write(String containerId, java.util.Map<String, byte[]> files, String ownerOf) {
        engine.writeFiles(containerId, files, ownerOf);
    }

    /** Removes a file from a running container; a file that is not there is no error. */
    public void remove(String containerId, String path, String nodeName) {
        long code = engine.exec(containerId, List.of("rm", "-f", "--", path));
        if (code != 0) {
            throw new BackendException("could not remove " + path + " from " + nodeName + " (rm exited " + code + ")");
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
