package io.redisha.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Keeps two redisha commands from changing the same project at once. An OS file lock: the kernel
 * releases it when the holder exits, also after SIGKILL, so a crash never leaves the project locked.
 */
public final class ProjectLock implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);

    private final FileChannel channel;
    private final FileLock lock;

    private ProjectLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a project: one per project name on this host. */
    public static Path file(String project) {
        String dir = System.getProperty("redisha.lock.dir", System.getProperty("java.io.tmpdir") + "/redisha-locks");
        return Path.of(dir, project + ".lock");
    }

    /**
     * Takes the project's lock, waiting up to {@code wait} for a holder to finish.
     *
     * @throws ProjectBusyException when another command still holds it after the wait
     */
    public static ProjectLock acquire(String project, String command, Duration wait) {
        Path file = file(project);
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    lock = null; // held by another command in this same JVM (tests run commands in-process)
                }
                if (lock != null) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + " " + command + "\n")
                            .getBytes(StandardCharsets.UTF_8)), 0);
                    return new ProjectLock(channel, lock);
                }
                if (System.nanoTime() >= deadline) {
                    String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                    channel.close();
                    throw new ProjectBusyException("another redisha command (pid " + (holder.isEmpty() ? "?" : holder.replace(" ", ": "))
                            + ") is changing project " + project + "; wait for it to finish or stop it (lock " + file + ")");
                }
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    channel.close();
                    throw new ProjectBusyException("interrupted while waiting for the lock of project " + project);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the lock " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
