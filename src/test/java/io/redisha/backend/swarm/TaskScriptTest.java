package io.redisha.backend.swarm;

import io.redisha.backend.ShellTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the task script (the resource task.sh) with dash, as a Swarm task runs it. */
class TaskScriptTest {
    @TempDir
    Path dir;

    private String run(String id) throws Exception {
        return run(id, List.of("sh", "-c", "echo \"started with $*\"", "x", "a b", "c"));
    }

    private String run(String id, List<String> then) throws Exception {
        TaskScript script = new TaskScript();
        script.apply(dir.resolve("mounted.conf").toString(), dir.resolve("redis.conf").toString(),
                dir.resolve(".redisha-applied-redis.conf").toString(), id);
        List<String> command = new ArrayList<>(script.then(then));
        command.set(0, ShellTools.required("dash"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aFileIsCopiedWhenItsObjectChangedNotWhenTheSameTaskRestarts() throws Exception {
        Files.writeString(dir.resolve("mounted.conf"), "port 6379\n");
        assertEquals("started with a b c\n", run("id-1"));
        assertEquals("port 6379\n", Files.readString(dir.resolve("redis.conf")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("redis.conf"))));
        // the server rewrote its file (CONFIG REWRITE): a restart of the same task keeps it
        Files.writeString(dir.resolve("redis.conf"), "port 6379\nreplicaof 10.0.9.8 6379\n");
        run("id-1");
        assertEquals("port 6379\nreplicaof 10.0.9.8 6379\n", Files.readString(dir.resolve("redis.conf")));
        // new files (startWith): a new object replaces it
        Files.writeString(dir.resolve("mounted.conf"), "port 6380\n");
        run("id-2");
        assertEquals("port 6380\n", Files.readString(dir.resolve("redis.conf")));
    }

    @Test
    void whatTheServerWritesLaterIsReadableByItsOwnerOnly() throws Exception {
        // CONFIG REWRITE and Sentinel write their file with mode 644 & ~umask, and it holds passwords
        Files.writeString(dir.resolve("mounted.conf"), "port 6379\n");
        String out = run("id-1", List.of("sh", "-c", "umask; echo x > \"$0\"", dir.resolve("rewritten.conf").toString()));
        assertEquals("0077\n", out);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("rewritten.conf"))));
    }

    @Test
    void theNodesCommandIsFoundAfterTheLastDoubleDashOrAfterTheOldScriptsName() {
        List<String> task = List.of("sh", "-c", "T", "redisha-task", "/a", "/b", "/m", "id", "--",
                "sh", "-c", "S", "redisha-start", "--config", "/data/redis.conf", "--", "docker-entrypoint.sh",
                "redis-server", "/data/redis.conf");
        assertEquals(List.of("redis-server", "/data/redis.conf"), TaskScript.nodeCommand(task, 1));
        List<String> older = List.of("sh", "-c", "S", "redisha-start", "docker-entrypoint.sh", "redis-server",
                "/data/redis.conf");
        assertEquals(List.of("redis-server", "/data/redis.conf"), TaskScript.nodeCommand(older, 1));
    }
}
