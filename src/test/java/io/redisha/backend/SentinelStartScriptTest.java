package io.redisha.backend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the Sentinel's start (the resource start-sentinel.sh) with dash, the sh of Debian-based images,
 * against a stand-in redis-cli that refuses a given number of times (the master not listening yet)
 * before it answers as a server that asks for a password.
 */
class SentinelStartScriptTest {
    private static final String TEXT = ShellScript.load("start-sentinel.sh");

    @TempDir
    Path dir;

    /** What a run did: the umask the command ran under, how many times it asked, how long it took. */
    record Run(String umask, int asked, long millis) {
    }

    private Run run(String marker, int refusals) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path cli = bin.resolve("redis-cli");
        Files.writeString(cli, "#!/bin/sh\n"
                + "n=$(cat " + dir + "/asked 2>/dev/null || echo 0); echo $((n + 1)) > " + dir + "/asked\n"
                + "echo \"$*\" >> " + dir + "/calls\n"
                + "if [ \"$n\" -lt " + refusals + " ]; then echo \"Could not connect to Redis at 10.0.0.2:6379: Connection refused\" >&2;"
                + " exit 1; fi\n"
                + "echo 'NOAUTH Authentication required.'\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path await = dir.resolve("await");
        if (marker != null) {
            Files.writeString(await, marker);
        }
        Path out = dir.resolve("umask");
        ProcessBuilder pb = new ProcessBuilder(List.of(ShellTools.required("dash"), "-c", TEXT, "redisha-sentinel",
                "--await", await.toString(), "--", "sh", "-c", "umask > " + out));
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.redirectErrorStream(true);
        long start = System.nanoTime();
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script ends");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        assertFalse(Files.exists(await), "the marker is removed: a later start never waits");
        String asked = Files.exists(dir.resolve("asked")) ? Files.readString(dir.resolve("asked")).strip() : "0";
        return new Run(Files.readString(out).strip(), Integer.parseInt(asked), millis);
    }

    private static long inSeconds(int seconds) {
        return Instant.now().getEpochSecond() + seconds;
    }

    @Test
    void aSentinelCreatedBesideItsMasterStartsOnceTheMasterAnswersUnderAPrivateUmask() throws Exception {
        Run run = run("10.0.0.2 6379 " + inSeconds(60) + "\n", 3);
        assertEquals(4, run.asked(), "asked until the master answered, then no more");
        assertEquals("0077", run.umask());
        assertEquals("-h 10.0.0.2 -p 6379 PING\n".repeat(4), Files.readString(dir.resolve("calls")));
    }

    @Test
    void withoutTheMarkerItStartsAtOnce() throws Exception {
        Run run = run(null, 100);
        assertEquals(0, run.asked());
        assertEquals("0077", run.umask());
    }

    @Test
    void aMarkerPastItsTimeIsRemovedWithoutWaiting() throws Exception {
        Run run = run("10.0.0.2 6379 " + inSeconds(-1) + "\n", 100);
        assertEquals(0, run.asked(), "a start long after the creation (a restart while the master is down) never waits");
    }

    @Test
    void aMasterThatNeverAnswersDelaysTheStartOnlyUntilTheMarkersTime() throws Exception {
        Run run = run("10.0.0.2 6379 " + inSeconds(2) + "\n", 1_000_000);
        assertTrue(run.asked() > 1, "it asked again while waiting: " + run.asked());
        assertTrue(run.millis() < 5_000, "it started at the marker's time, not later: " + run.millis() + " ms");
    }
}
