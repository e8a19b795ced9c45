package io.redisha.backend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the start script (the resource start-node.sh) with dash, the sh of Debian-based images,
 * against a stand-in redis-cli that answers as the Sentinels would. 127.0.0.1 is an address of the
 * machine running the test, as a task's overlay address is its own.
 */
class StartScriptTest {
    @TempDir
    Path dir;

    /** What the script did: the configuration file after it, its stderr, and what the stand-in cli saw. */
    record Run(String config, String err, String cliCalls, String serverEnv, long millis) {
    }

    /**
     * @param answers what the stand-in answers, one answer per call (the last one repeats); lines
     *                separated by "|"
     */
    private Run run(List<String> answers, Duration hold, String password) throws Exception {
        return run(answers, hold, password, "port 6379\n");
    }

    private Run run(List<String> answers, Duration hold, String password, String initialConfig) throws Exception {
        return run(answers, hold, password, initialConfig, null);
    }

    private Run run(List<String> answers, Duration hold, String password, String initialConfig, Path firstStart)
            throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (int i = 0; i < answers.size(); i++) {
            Files.writeString(dir.resolve("answer-" + i), answers.get(i).replace('|', '\n') + "\n");
        }
        Path cli = bin.resolve("redis-cli");
        Files.writeString(cli, "#!/bin/sh\n"
                + "n=$(cat " + dir + "/count 2>/dev/null || echo 0); echo $((n + 1)) > " + dir + "/count\n"
                + "echo \"auth=${REDISCLI_AUTH:-none} $*\" >> " + dir + "/calls\n"
                + "f=" + dir + "/answer-$n; [ -f \"$f\" ] || f=" + dir + "/answer-" + (answers.size() - 1) + "\n"
                + "cat \"$f\"\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = dir.resolve("redis.conf");
        Files.writeString(config, initialConfig);
        String passwordFile = null;
        if (password != null) {
            passwordFile = dir.resolve("sentinel-auth").toString();
            Files.writeString(dir.resolve("sentinel-auth"), password);
        }
        List<String> command = new ArrayList<>(StartScript.command(Map.of(config.toString(), new byte[0]),
                List.of("p-sentinel-1", "p-sentinel-2"), "mymaster", hold, passwordFile,
                firstStart == null ? null : firstStart.toString()));
        assertEquals(List.of("sh", "-c", StartScript.TEXT, "redisha-start"), command.subList(0, 4));
        command.set(0, ShellTools.required("dash")); // Debian's /bin/sh
        Path serverEnv = dir.resolve("server-env");
        command.addAll(List.of("sh", "-c", "env > " + serverEnv));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.redirectError(dir.resolve("err").toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script ends");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("err")));
        return new Run(Files.readString(config), Files.readString(dir.resolve("err")),
                Files.exists(dir.resolve("calls")) ? Files.readString(dir.resolve("calls")) : "",
                Files.readString(serverEnv, StandardCharsets.UTF_8), millis);
    }

    /** What SENTINEL MASTER answers, in redis-cli's raw form (one field or value a line), joined with "|". */
    private static String master(String ip, long epoch) {
        return "name|mymaster|ip|" + ip + "|port|6379|runid|abc|flags|master|config-epoch|" + epoch + "|num-slaves|2";
    }

    @Test
    void aTaskFollowsTheMasterTheSentinelsNameWhenItIsAnotherNode() throws Exception {
        Run run = run(List.of(master("10.0.9.7", 1)), Duration.ofSeconds(20), null);
        assertEquals("port 6379\nreplicaof 10.0.9.7 6379\n", run.config());
        assertTrue(run.cliCalls().contains("-h p-sentinel-1 -p 26379 --raw SENTINEL master mymaster"), run.cliCalls());
        assertTrue(run.err().contains("redisha: following the master the Sentinels name, 10.0.9.7:6379"), run.err());
    }

    @Test
    void theNodesCommandIsExecWithItsArgumentsUntouched() throws Exception {
        Run run = run(List.of("NOAUTH Authentication required."), Duration.ZERO, null);
        assertTrue(run.serverEnv().contains("PATH="), "the command after -- ran:\n" + run.serverEnv());
    }

    @Test
    void aNodeOfANewDeploymentStartsAtOnceTheFirstTimeAndAsksAtEveryLaterStart() throws Exception {
        Path marker = dir.resolve("first-start");
        Files.writeString(marker, "");
        // its own Sentinels, starting beside it, name it master: the first start does not ask them
        Run first = run(List.of(master("127.0.0.1", 0)), Duration.ofSeconds(20), null, "port 6379\n", marker);
        assertEquals("", first.cliCalls(), "no Sentinel asked at the first start");
        assertFalse(Files.exists(marker), "the marker is used up by the first start");
        assertTrue(first.millis() < 1000, "started at once: " + first.millis() + " ms");
        Run later = run(List.of(master("10.0.9.8", 1)), Duration.ofSeconds(20), null, "port 6379\n", marker);
        assertEquals("port 6379\nreplicaof 10.0.9.8 6379\n", later.config(), "a restart asks and follows");
        assertTrue(later.cliCalls().contains("SENTINEL master mymaster"), later.cliCalls());
    }

    @Test
    void theSentinelWithTheHighestConfigEpochIsBelievedWhicheverAnswersFirst() throws Exception {
        // sentinel-1 restarted with the task and still names the old master (epoch 2); sentinel-2 saw the failover
        Run run = run(List.of(master("10.0.9.1", 2), master("10.0.9.8", 3)), Duration.ofSeconds(20), null);
        assertEquals("port 6379\nreplicaof 10.0.9.8 6379\n", run.config());
    }

    @Test
    void aLaterSentinelWithAnOlderEpochDoesNotOverrideANewerAnswer() throws Exception {
        Run run = run(List.of(master("10.0.9.8", 3), master("10.0.9.1", 2)), Duration.ofSeconds(20), null);
        assertEquals("port 6379\nreplicaof 10.0.9.8 6379\n", run.config());
    }

    @Test
    void anErrorOrNoSentinelIsNoAnswerAndTheTaskStartsAsConfigured() throws Exception {
        Run run = run(List.of("NOAUTH Authentication required."), Duration.ofSeconds(20), null);
        assertEquals("port 6379\n", run.config(), "an error reply is never taken for an address");
        assertEquals(2, run.cliCalls().lines().count(), "both Sentinels asked:\n" + run.cliCalls());
    }

    @Test
    void whenTheSentinelsStillNameThisNodeItWaitsForThePromotionThenFollows() throws Exception {
        // two questions (one per Sentinel) name this node, then both name the promoted replica
        Run run = run(List.of(master("127.0.0.1", 1), master("127.0.0.1", 1), master("10.0.9.8", 2)),
                Duration.ofSeconds(20), null);
        assertEquals("port 6379\nreplicaof 10.0.9.8 6379\n", run.config());
        assertTrue(run.err().contains("still name this node (127.0.0.1) as the master; waiting up to 20 s"), run.err());
        assertTrue(run.millis() >= 1000, "waited between questions: " + run.millis() + " ms");
    }

    @Test
    void theWaitIsBoundedByTheHoldBackThenTheTaskStartsAsItIs() throws Exception {
        Run run = run(List.of(master("127.0.0.1", 1)), Duration.ofSeconds(2), null);
        assertEquals("port 6379\n", run.config());
        assertTrue(run.millis() >= 1000 && run.millis() < 10_000, "waited about the hold-back (whole seconds): " + run.millis() + " ms");
    }

    @Test
    void noHoldBackStartsAtOnceWhenTheSentinelsNameThisNode() throws Exception {
        Run run = run(List.of(master("127.0.0.1", 1)), Duration.ZERO, null);
        assertEquals("port 6379\n", run.config());
        assertFalse(run.err().contains("waiting"), run.err());
    }

    @Test
    void theSentinelPasswordReachesTheCliOnlyNeverTheServersEnvironment() throws Exception {
        Run run = run(List.of(master("10.0.9.7", 1)), Duration.ofSeconds(20), "s3cret-pw");
        assertTrue(run.cliCalls().startsWith("auth=s3cret-pw "), run.cliCalls());
        assertEquals("port 6379\nreplicaof 10.0.9.7 6379\n", run.config());
        assertFalse(run.serverEnv().contains("s3cret-pw"), "the server's environment holds no password");
    }

    @Test
    void followingReplacesAReplicaofLineLeftByAnEarlierStartOrAConfigRewrite() throws Exception {
        Run run = run(List.of(master("10.0.9.8", 1)), Duration.ofSeconds(20), null,
                "port 6379\nreplicaof 10.0.9.7 6379\n# Generated by CONFIG REWRITE\nslaveof 10.0.9.6 6379\nsave \"\"\n");
        assertEquals("port 6379\n# Generated by CONFIG REWRITE\nsave \"\"\nreplicaof 10.0.9.8 6379\n", run.config());
    }
}
