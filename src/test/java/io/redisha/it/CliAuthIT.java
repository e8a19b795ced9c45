package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** redisha cli on a deployment with passwords: it authenticates, and no process shows the password. */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class CliAuthIT {
    private static final String SECRET = "cli-s3cret_quoted!pass#";
    private static final String SENTINEL_SECRET = "cli-sentinel-Zq7w";
    private static final Path JAR = Cli.JAR;

    @RegisterExtension
    final Deployment deployments = Deployment.none();

    private static Path secretFile(Cli cli, String name, String secret) throws IOException {
        Path file = cli.topology().resolveSibling(name);
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void cliAuthenticatesAndNoProcessCommandLineOrEnvironmentHoldsThePassword() throws Exception {
        Cli cli = deployments.create("it-cliauth", "auth:\n  password-file: redis.pass\n  sentinel-password-file: sentinel.pass\n");
        Path redisPass = secretFile(cli, "redis.pass", SECRET);
        secretFile(cli, "sentinel.pass", SENTINEL_SECRET);
        List<Cli.Result> results = new ArrayList<>();
        Process blocked = null;
        try {
            Cli.Result up = cli.run("up");
            assertEquals(0, up.exitCode(), up::toString);

            Cli.Result set = cli.runFileFirst("cli", "master", "SET", "k", "v");
            results.add(set);
            assertEquals("OK\n", set.out(), set::toString);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Cli.Result get;
            do {
                get = cli.runFileFirst("cli", "replica-1", "GET", "k");
                results.add(get);
            } while (!get.out().equals("\"v\"\n") && System.nanoTime() < deadline);
            assertEquals("\"v\"\n", get.out(), get::toString);
            Cli.Result sentinel = cli.runFileFirst("cli", "sentinel-2", "SENTINEL", "get-master-addr-by-name", "mymaster");
            results.add(sentinel);
            assertEquals(0, sentinel.exitCode(), sentinel::toString);
            assertTrue(sentinel.out().startsWith("1) \""), sentinel::toString);

            Cli.Result connect = cli.runFileFirst("connect", "--output", "json");
            Cli.Result env = cli.runFileFirst("connect", "--output", "env");
            results.add(connect);
            results.add(env);
            JsonNode c = new ObjectMapper().readTree(connect.out());
            assertEquals(redisPass.toAbsolutePath().toString(), c.get("redisPassword").get("file").asText());
            assertTrue(env.out().contains("REDISHA_PASSWORD_FILE=" + redisPass.toAbsolutePath() + "\n"), env::toString);

            // a separate redisha, blocked in BLPOP, while every process on this machine is looked at
            blocked = new ProcessBuilder("java", "-jar", JAR.toString(), "cli", "--file", cli.topology().toString(),
                    "master", "BLPOP", "waiting", "60").redirectErrorStream(true).start();
            awaitBlockedClient(cli);
            List<Long> scanned = assertNoProcessShows(SECRET, SENTINEL_SECRET, "cli-s3cret");
            assertTrue(scanned.contains(blocked.pid()), "the blocked redisha was looked at");
            Cli.Result push = cli.runFileFirst("cli", "master", "LPUSH", "waiting", "x");
            results.add(push);
            assertEquals("(integer) 1\n", push.out(), push::toString);
            assertTrue(blocked.waitFor(30, TimeUnit.SECONDS), "the blocked redisha ended");
            String output = new String(blocked.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, blocked.exitValue(), output);
            assertEquals("1) \"waiting\"\n2) \"x\"\n", output);

            for (Cli.Result r : results) {
                assertFalse(r.toString().contains("s3cret") || r.toString().contains("cli-sentinel"), r::toString);
            }
        } finally {
            if (blocked != null) {
                blocked.destroyForcibly();
            }
        }
    }

    /** Waits until the master lists a client blocked in BLPOP: it connected and authenticated. */
    private static void awaitBlockedClient(Cli cli) throws InterruptedException {
        String master = Engine.container(cli.project(), "master", 1).getId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Jedis m = new Jedis(new HostAndPort("127.0.0.1", Engine.hostPort(master, 6379)),
                    DefaultJedisClientConfig.builder().password(SECRET).timeoutMillis(2000).build())) {
                if (m.clientList().contains("cmd=blpop")) {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "no client blocked in BLPOP within 30 s");
            Thread.sleep(200);
        }
    }

    /** Reads the command line and environment of every process this user can see; returns the pids read. */
    private static List<Long> assertNoProcessShows(String... secrets) throws IOException {
        List<Long> scanned = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : proc) {
                String seen;
                try {
                    seen = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8)
                            + new String(Files.readAllBytes(dir.resolve("environ")), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue; // gone, or not ours to read
                }
                for (String secret : secrets) {
                    assertFalse(seen.contains(secret), "process " + dir.getFileName() + " shows a password");
                }
                scanned.add(Long.parseLong(dir.getFileName().toString()));
            }
        }
        return scanned;
    }
}
