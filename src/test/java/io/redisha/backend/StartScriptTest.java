package io.redisha.backend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /** The project's Redis nodes as the stand-in getent resolves them, name to address (127.0.0.1 is this node). */
    private final Map<String, String> hosts = new LinkedHashMap<>();
    /** What the stand-in answers to INFO from the node at an address; one absent does not answer. */
    private final Map<String, String> infos = new LinkedHashMap<>();
    /** The ACL user the script is told to log in as, or null. */
    private String authUser;

    private Run run(List<String> answers, Duration hold, String password, String initialConfig, Path firstStart)
            throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (int i = 0; i < answers.size(); i++) {
            Files.writeString(dir.resolve("answer-" + i), answers.get(i).replace('|', '\n') + "\n");
        }
        for (var info : infos.entrySet()) {
            Files.writeString(dir.resolve("info-" + info.getKey()), info.getValue());
        }
        StringBuilder hostsFile = new StringBuilder();
        hosts.forEach((name, address) -> hostsFile.append(address).append("       ").append(name).append('\n'));
        Files.writeString(dir.resolve("hosts"), hostsFile);
        // redis-cli: SENTINEL answers one per call (the last one repeats); INFO as the node at -h would;
        // REPLICAOF is recorded
        script(bin.resolve("redis-cli"), "#!/bin/sh\n"
                + "echo \"auth=${REDISCLI_AUTH:-none} $*\" >> " + dir + "/calls\n"
                + "host=\n"
                + "while [ $# -gt 0 ]; do case \"$1\" in -h) host=$2; shift 2 ;; -p|--user) shift 2 ;; --raw|--tls) shift ;; --cacert|--cert|--key) shift 2 ;; *) break ;; esac; done\n"
                + "case \"$1\" in\n"
                + "  SENTINEL)\n"
                + "    n=$(cat " + dir + "/count 2>/dev/null || echo 0); echo $((n + 1)) > " + dir + "/count\n"
                + "    f=" + dir + "/answer-$n; [ -f \"$f\" ] || f=" + dir + "/answer-" + (answers.size() - 1) + "\n"
                + "    cat \"$f\" ;;\n"
                + "  INFO)\n"
                + "    if [ -f " + dir + "/info-\"$host\" ]; then cat " + dir + "/info-\"$host\"; else\n"
                + "      echo \"Could not connect to Redis at $host:6379: Connection refused\" >&2; exit 1; fi ;;\n"
                + "  REPLICAOF) echo \"$host $*\" >> " + dir + "/replicaof; echo OK ;;\n"
                + "  *) echo \"ERR unknown command\"; exit 1 ;;\n"
                + "esac\n");
        // getent hosts NAME, from the hosts file; exit 2 (not found) otherwise, as the real one
        script(bin.resolve("getent"), "#!/bin/sh\n"
                + "echo \"$2\" >> " + dir + "/resolved\n"
                + "[ \"$1\" = hosts ] && awk -v n=\"$2\" '$2 == n { print; found = 1 } END { exit found ? 0 : 2 }' "
                + dir + "/hosts\n");
        Path config = dir.resolve("redis.conf");
        Files.writeString(config, initialConfig);
        String passwordFile = null;
        if (password != null) {
            passwordFile = dir.resolve("sentinel-auth").toString();
            Files.writeString(dir.resolve("sentinel-auth"), password);
        }
        // no Sentinel beyond the two asked: a count of 0 asks p-sentinel-1 and -2
        List<String> command = new ArrayList<>(StartScript.command("p", Map.of(config.toString(), new byte[0]), 0,
                "mymaster", hold, passwordFile, authUser, firstStart == null ? null : firstStart.toString()));
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
        return new Run(Files.readString(config), Files.readString(dir.resolve("err")), read("calls"),
                Files.readString(serverEnv, StandardCharsets.UTF_8), millis);
    }

    private String read(String file) throws IOException {
        return Files.exists(dir.resolve(file)) ? Files.readString(dir.resolve(file)) : "";
    }

    private static void script(Path path, String text) throws IOException {
        Files.writeString(path, text);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
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
    void aNodeServingTlsAsksOverTlsWithItsOwnCertificate() throws Exception {
        String tls = "port 0\ntls-port 6379\ntls-cert-file /data/tls/node.crt\ntls-key-file /data/tls/node.key\n"
                + "tls-ca-cert-file /data/tls/ca.crt\n";
        Run run = run(List.of(master("10.0.9.7", 1)), Duration.ofSeconds(20), null, tls);
        assertTrue(run.cliCalls().contains("--tls --cacert /data/tls/ca.crt --cert /data/tls/node.crt --key /data/tls/node.key"
                + " -h p-sentinel-1 -p 26379 --raw SENTINEL master mymaster"), run.cliCalls());
        assertEquals(tls + "replicaof 10.0.9.7 6379\n", run.config());
        Files.delete(dir.resolve("calls"));
        Files.delete(dir.resolve("count"));
        Run plain = run(List.of(master("10.0.9.7", 1)), Duration.ofSeconds(20), null);
        assertFalse(plain.cliCalls().contains("--tls"), plain.cliCalls());
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
    void aMarkerHoldingATimeCountsUntilThenOnly() throws Exception {
        Path marker = dir.resolve("first-start");
        long now = java.time.Instant.now().getEpochSecond();
        Files.writeString(marker, (now + 600) + "\n");
        Run valid = run(List.of(master("127.0.0.1", 0)), Duration.ofSeconds(20), null, "port 6379\n", marker);
        assertEquals("", valid.cliCalls(), "a marker still valid: no Sentinel asked");
        assertFalse(Files.exists(marker), "the marker is used up");
        // a marker found after its time (a volume made anew long after the node's creation): asks as a restart does
        Files.writeString(marker, (now - 1) + "\n");
        Run late = run(List.of(master("10.0.9.8", 1)), Duration.ofSeconds(20), null, "port 6379\n", marker);
        assertFalse(Files.exists(marker), "the expired marker is removed too");
        assertEquals("port 6379\nreplicaof 10.0.9.8 6379\n", late.config(), "an expired marker: asks and follows");
        assertTrue(late.cliCalls().contains("SENTINEL master mymaster"), late.cliCalls());
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
    void aNodeMovedToUsersInPlaceLogsInAsTheUserTheFileBesideItsConfigurationNames() throws Exception {
        Files.writeString(dir.resolve(".redisha-auth-user"), "redisha");
        Files.writeString(dir.resolve(".redisha-sentinel-auth"), "admin-pw");
        Run run = run(List.of(master("10.0.9.7", 1)), Duration.ofSeconds(20), null);
        assertTrue(run.cliCalls().startsWith("auth=admin-pw --user redisha "), run.cliCalls());
        assertEquals("port 6379\nreplicaof 10.0.9.7 6379\n", run.config());
        assertFalse(run.serverEnv().contains("admin-pw"), "the server's environment holds no password");
    }

    @Test
    void anEmptyUserFileLeavesTheDefaultUser() throws Exception {
        Files.writeString(dir.resolve(".redisha-auth-user"), "");
        Run run = run(List.of(master("10.0.9.7", 1)), Duration.ofSeconds(20), "s3cret-pw");
        assertTrue(run.cliCalls().startsWith("auth=s3cret-pw -h "), run.cliCalls());
    }

    @Test
    void followingReplacesAReplicaofLineLeftByAnEarlierStartOrAConfigRewrite() throws Exception {
        Run run = run(List.of(master("10.0.9.8", 1)), Duration.ofSeconds(20), null,
                "port 6379\nreplicaof 10.0.9.7 6379\n# Generated by CONFIG REWRITE\nslaveof 10.0.9.6 6379\nsave \"\"\n");
        assertEquals("port 6379\n# Generated by CONFIG REWRITE\nsave \"\"\nreplicaof 10.0.9.8 6379\n", run.config());
    }

    // ---- no Sentinel answers: the other Redis nodes are asked ------------------------------------

    /** INFO of a master, as Redis answers it (CRLF lines; no keyspace line when it holds no key). */
    private static String masterInfo(long offset, int keys) {
        return "# Server\r\nredis_version:7.0.15\r\n\r\n# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"
                + "master_replid:abc\r\nmaster_repl_offset:" + offset + "\r\n\r\n# Keyspace\r\n"
                + (keys > 0 ? "db0:keys=" + keys + ",expires=0,avg_ttl=0\r\n" : "");
    }

    /** INFO of a replica of {@code master} that lost it {@code downSince} seconds ago (-1: never linked since it started). */
    private static String replicaInfo(String master, long downSince, long offset, int keys) {
        return "# Replication\r\nrole:slave\r\nmaster_host:" + master + "\r\nmaster_port:6379\r\nmaster_link_status:down\r\n"
                + "master_last_io_seconds_ago:-1\r\nmaster_sync_in_progress:0\r\nslave_repl_offset:" + offset + "\r\n"
                + "master_link_down_since_seconds:" + downSince + "\r\nslave_priority:100\r\nmaster_replid:abc\r\n"
                + "master_repl_offset:" + offset + "\r\n\r\n# Keyspace\r\n"
                + (keys > 0 ? "db0:keys=" + (keys - 1) + ",expires=0,avg_ttl=0\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n" : "");
    }

    private static final String NO_SENTINEL = "Could not connect to Redis at p-sentinel-1:26379: Connection refused";

    /** This node (127.0.0.1) was the master; both replicas hold its data, the first with the highest offset. */
    private void masterLostWithReplicasHoldingTheData() {
        hosts.put("p-master-1", "127.0.0.1");
        hosts.put("p-replica-1", "10.0.9.3");
        hosts.put("p-replica-2", "10.0.9.4");
        infos.put("10.0.9.3", replicaInfo("127.0.0.1", 5, 5000, 100));
        infos.put("10.0.9.4", replicaInfo("127.0.0.1", 5, 4000, 100));
    }

    @Test
    void anEmptyMasterWithNoSentinelMakesTheReplicaWithTheHighestOffsetTheMasterAndFollowsIt() throws Exception {
        masterLostWithReplicasHoldingTheData();
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), null, "port 6379\nsave \"\"\n");
        assertEquals("port 6379\nsave \"\"\nreplicaof 10.0.9.3 6379\n", run.config(), "never an empty master");
        assertEquals("10.0.9.3 REPLICAOF NO ONE\n", read("replicaof"), "the replica with the data is made master");
        assertTrue(run.err().contains("redisha: no Sentinel answers; 10.0.9.3 holds the data this node had (offset 5000)"
                + " and followed it: made it the master, following it"), run.err());
        assertTrue(run.millis() < 5000, "no wait: " + run.millis() + " ms");
    }

    @Test
    void aStartingNodeFollowsAMasterThatHoldsDataWithoutPromotingAnyone() throws Exception {
        hosts.put("p-master-1", "10.0.9.2");
        hosts.put("p-replica-1", "10.0.9.3");
        hosts.put("p-replica-2", "127.0.0.1");
        infos.put("10.0.9.2", masterInfo(9000, 100));
        infos.put("10.0.9.3", replicaInfo("10.0.9.2", 0, 9000, 100));
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), null, "port 6379\nreplicaof 10.0.9.9 6379\n");
        assertEquals("port 6379\nreplicaof 10.0.9.2 6379\n", run.config());
        assertEquals("", read("replicaof"));
        assertTrue(run.err().contains("no Sentinel answers; following 10.0.9.2, a master holding data (offset 9000)"), run.err());
    }

    @Test
    void aReplicaWhoseMasterIsAnotherNodeIsFollowedNeverPromoted() throws Exception {
        // the master (10.0.9.2) is down too: not this node's business to replace it
        hosts.put("p-replica-1", "127.0.0.1");
        hosts.put("p-replica-2", "10.0.9.4");
        infos.put("10.0.9.4", replicaInfo("10.0.9.2", 30, 700, 10));
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), null);
        assertEquals("port 6379\nreplicaof 10.0.9.4 6379\n", run.config());
        assertEquals("", read("replicaof"));
        assertTrue(run.err().contains("following 10.0.9.4, a replica holding data (offset 700)"), run.err());
    }

    @Test
    void whenNoOtherNodeHoldsDataItStartsAsConfiguredAtOnce() throws Exception {
        // every node restarted at once without persistence: they answer as empty masters
        hosts.put("p-master-1", "127.0.0.1");
        hosts.put("p-replica-1", "10.0.9.3");
        hosts.put("p-replica-2", "10.0.9.4");
        infos.put("10.0.9.3", masterInfo(0, 0));
        infos.put("10.0.9.4", replicaInfo("127.0.0.1", -1, 0, 0));
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), null);
        assertEquals("port 6379\n", run.config());
        assertEquals("", read("replicaof"));
        assertTrue(run.err().contains("no Sentinel answers and no other Redis node holds data; starting as configured"), run.err());
        assertTrue(run.millis() < 5000, "no wait: " + run.millis() + " ms");
    }

    @Test
    void whenNoOtherNodeAnswersItStartsAsConfigured() throws Exception {
        hosts.put("p-master-1", "127.0.0.1");
        hosts.put("p-replica-1", "10.0.9.3");
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), null);
        assertEquals("port 6379\n", run.config());
        assertTrue(run.err().contains("no other Redis node holds data"), run.err());
    }

    @Test
    void replicasAddedByALaterScaleAreAskedUntilTwoNamesInARowDoNotAnswer() throws Exception {
        hosts.put("p-master-1", "127.0.0.1");
        for (int i = 1; i <= 4; i++) {
            hosts.put("p-replica-" + i, "10.0.9." + (10 + i));
            infos.put("10.0.9." + (10 + i), replicaInfo("127.0.0.1", 3, 100 * i, 50));
        }
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), null);
        assertEquals("port 6379\nreplicaof 10.0.9.14 6379\n", run.config(), "the highest offset, on the fourth replica");
        assertEquals("p-master-1\np-replica-1\np-replica-2\np-replica-3\np-replica-4\np-replica-5\np-replica-6\n",
                read("resolved").replaceAll("(?m)^(?!p-).*\n", ""), "names looked up");
    }

    @Test
    void theRedisPasswordOfTheConfigurationReachesTheCliOnlyNeverTheServersEnvironment() throws Exception {
        masterLostWithReplicasHoldingTheData();
        // as redisha quotes it: p"w\xA (a backslash, then x, then \x41)
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), "s3cret-pw",
                "port 6379\nrequirepass \"p\\\"w\\\\x\\x41\"\nmasterauth \"p\\\"w\\\\x\\x41\"\n");
        assertTrue(run.cliCalls().contains("auth=p\"w\\xA -h 10.0.9.3 -p 6379 INFO"), run.cliCalls());
        assertTrue(run.cliCalls().contains("auth=s3cret-pw -h p-sentinel-1 -p 26379"), run.cliCalls());
        assertFalse(run.serverEnv().contains("s3cret") || run.serverEnv().contains("p\"w"), "no password in the server's environment");
    }

    @Test
    void theRedisPasswordIsFoundUnderTheNameValkeyRewritesItTo() throws Exception {
        masterLostWithReplicasHoldingTheData();
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), "s3cret-pw",
                "port 6379\nrequirepass \"valkey-pw\"\nprimaryauth \"valkey-pw\"\n");
        assertTrue(run.cliCalls().contains("auth=valkey-pw -h 10.0.9.3 -p 6379 INFO"), run.cliCalls());
    }

    @Test
    void withAnAclUserTheScriptLogsInAsItOnTheSentinelsAndTheOtherNodesWithThePasswordOfItsFile() throws Exception {
        masterLostWithReplicasHoldingTheData();
        authUser = "redisha";
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), "admin pw",
                "port 6379\nmasteruser replication\nmasterauth \"replication-pw\"\n");
        assertTrue(run.cliCalls().contains("auth=admin pw --user redisha -h p-sentinel-1 -p 26379"), run.cliCalls());
        assertTrue(run.cliCalls().contains("auth=admin pw --user redisha -h 10.0.9.3 -p 6379 INFO"), run.cliCalls());
        assertFalse(run.cliCalls().contains("replication-pw"), run.cliCalls());
        assertFalse(run.serverEnv().contains("admin pw"), "no password in the server's environment");
    }

    @Test
    void whenTheSentinelsStillNameThisNodeAfterTheHoldBackTheOtherNodesAreAsked() throws Exception {
        masterLostWithReplicasHoldingTheData();
        Run run = run(List.of(master("127.0.0.1", 1)), Duration.ofSeconds(1), null);
        assertEquals("port 6379\nreplicaof 10.0.9.3 6379\n", run.config(), "never an empty master");
        assertTrue(run.err().contains("redisha: the Sentinels still name this node; 10.0.9.3 holds the data"), run.err());
    }

    @Test
    void withRdbAFileWrittenBeforeTheReplicasLostThisNodeDoesNotWin() throws Exception {
        masterLostWithReplicasHoldingTheData();
        Path rdb = Files.writeString(dir.resolve("dump.rdb"), "REDIS0011");
        Files.setLastModifiedTime(rdb, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 600_000));
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), null, "port 6379\ndir " + dir + "\nsave 3600 1\n");
        assertTrue(run.config().endsWith("replicaof 10.0.9.3 6379\n"), run.config());
        assertEquals("10.0.9.3 REPLICAOF NO ONE\n", read("replicaof"));
    }

    @Test
    void withRdbAFileAtLeastAsNewAsTheReplicasDataStartsAsConfigured() throws Exception {
        masterLostWithReplicasHoldingTheData();
        Files.writeString(dir.resolve("dump.rdb"), "REDIS0011"); // written at shutdown, just now
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), null, "port 6379\ndir " + dir + "\nsave 3600 1\n");
        assertEquals("port 6379\ndir " + dir + "\nsave 3600 1\n", run.config());
        assertEquals("", read("replicaof"));
        assertTrue(run.err().contains("this node's rdb file is at least as new as the data of the other Redis nodes"), run.err());
    }

    @Test
    void withRdbEveryNodeRestartedAtOnceReloadsItsOwnFileAndNobodyWaits() throws Exception {
        // the replicas reloaded their own files and were never linked since: this node starts as configured
        hosts.put("p-master-1", "127.0.0.1");
        hosts.put("p-replica-1", "10.0.9.3");
        infos.put("10.0.9.3", replicaInfo("127.0.0.1", -1, 0, 100));
        Path rdb = Files.writeString(dir.resolve("dump.rdb"), "REDIS0011");
        Files.setLastModifiedTime(rdb, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 600_000));
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), null, "port 6379\ndir " + dir + "\nsave 3600 1\n");
        assertFalse(run.config().contains("replicaof"), run.config());
        assertTrue(run.millis() < 5000, "no wait: " + run.millis() + " ms");
    }

    @Test
    void withAofTheFileHasAllButTheLastSecondAndTheNodeStartsAsConfigured() throws Exception {
        masterLostWithReplicasHoldingTheData();
        Files.createDirectories(dir.resolve("appendonlydir"));
        Path aof = Files.writeString(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"), "*1\r\n");
        Files.setLastModifiedTime(aof, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 600_000));
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), null, "port 6379\ndir " + dir + "\nappendonly yes\n");
        assertFalse(run.config().contains("replicaof"), run.config());
        assertEquals("", read("replicaof"));
    }

    @Test
    void withRdbAReplicaRestartedWithTheOthersReloadsItsOwnFileAndKeepsItsMaster() throws Exception {
        // the master is not up yet; the other replica reloaded its file and was never linked since
        hosts.put("p-replica-1", "127.0.0.1");
        hosts.put("p-replica-2", "10.0.9.4");
        infos.put("10.0.9.4", replicaInfo("10.0.9.2", -1, 0, 100));
        Files.writeString(dir.resolve("dump.rdb"), "REDIS0011");
        String config = "port 6379\ndir " + dir + "\nsave 3600 1\nreplicaof 10.0.9.2 6379\n";
        Run run = run(List.of(NO_SENTINEL), Duration.ofSeconds(20), null, config);
        assertEquals(config, run.config());
        assertEquals("", read("replicaof"));
    }
}
