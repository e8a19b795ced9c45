package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The core of redisha on every server image users run: Redis 7, Redis 8 and Valkey 8 by default,
 * or the images named in REDISHA_IT_IMAGES (scripts/test). On each: up is ready (checked node by
 * node), each node runs the image's own server binary, the password is required and never
 * printed, failover-test passes with every fault kind, scale grows, and down leaves nothing. An image that cannot run this design is
 * refused before anything is created.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class VersionsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final Deployment deployments = Deployment.none();

    static Stream<String> images() {
        String list = System.getenv().getOrDefault("REDISHA_IT_IMAGES", "redis:7,redis:8,valkey/valkey:8");
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** The server binary an image's default command names, as its nodes must run it. */
    private static String serverOf(String image) {
        var config = Engine.client().inspectImageCmd(image).exec().getConfig();
        String[] cmd = config == null ? null : config.getCmd();
        if (cmd == null || cmd.length == 0) {
            fail("image " + image + " has no default command: run scripts/setup --images " + image);
        }
        String program = cmd[0].substring(cmd[0].lastIndexOf('/') + 1);
        assertTrue(Set.of("redis-server", "valkey-server").contains(program), image + " runs " + program);
        return program;
    }

    private static void requireImage(String image) {
        try {
            Engine.client().inspectImageCmd(image).exec();
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            fail("image " + image + " is not on the engine: run scripts/setup --images " + image
                    + " (scripts/test does)");
        }
    }

    private static String slug(String image) {
        return image.replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /**
     * One deployment per image carries the whole claim, with a password (quote and backslash in
     * it) since that is how production runs: the secret is required, replicas and Sentinels log in
     * with it through every fault, and it is never printed. Sentinel's detection is shortened to
     * 2 s: what is proved is that each image fails over and rejoins with every fault, not how long
     * Sentinel waits (EverydayCommandsIT, FailoverWhileIT and HardeningIT fail over on the default
     * timings), and each of the four rounds waits it once.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void upWithAuthFailoverWithEveryFaultScaleAndDown(String image) throws Exception {
        requireImage(image);
        String server = serverOf(image);
        String secret = "v3rsion!s3cret#%&*()<>|;:,.?~^$-" + slug(image);
        Cli cli = deployments.create("it-v-" + slug(image), "image: " + image + "\nauth:\n  password-file: redis.pass\n"
                + "sentinels:\n  down-after-milliseconds: 2000\n");
        Path file = cli.topology().resolveSibling("redis.pass");
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("image " + image + " runs " + (server.startsWith("valkey") ? "Valkey " : "Redis ")),
                up::toString);
        Probe.assertReady(cli.project(), 2, 3, secret);
        for (Container c : Engine.containers(cli.project())) {
            List<String> cmd = List.of(Engine.inspect(c.getId()).getConfig().getCmd());
            assertEquals(server, cmd.get(0), "command of " + c.getNames()[0]);
            if ("sentinel".equals(c.getLabels().get("io.redisha.service"))) {
                assertEquals("--sentinel", cmd.get(cmd.size() - 1), "command of " + c.getNames()[0]);
            }
        }
        Container master = Engine.container(cli.project(), "master", 1);
        try (Jedis anonymous = Probe.redis(master.getId())) {
            JedisDataException e = assertThrows(JedisDataException.class, anonymous::ping);
            assertTrue(e.getMessage().startsWith("NOAUTH"), e.getMessage());
        }
        try (Jedis authed = new Jedis(new HostAndPort("127.0.0.1", Engine.hostPort(master.getId(), 6379)),
                DefaultJedisClientConfig.builder().password(secret).timeoutMillis(3000).build())) {
            assertEquals("2", Probe.info(authed).get("connected_slaves"), "replicas authenticate with masterauth");
            String info = authed.info("server");
            assertTrue(info.contains(server.startsWith("valkey") ? "valkey_version:" : "redis_version:"), info);
        }
        Cli.Result status = cli.run("status", "--output", "json");
        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(JSON.readTree(status.out()).get("ready").asBoolean(), status::toString);

        for (String fault : List.of("pause", "kill", "stop", "disconnect")) {
            Cli.Result test = cli.run("failover-test", "--fault", fault, "--output", "json");
            assertEquals(0, test.exitCode(), () -> fault + ": " + test);
            assertTrue(!test.out().contains(secret) && !test.err().contains(secret), "the secret is never printed");
            JsonNode round = JSON.readTree(test.out()).get("rounds").get(0);
            FailoverIT.assertPassedRound(round);
            Probe.assertReady(cli.project(), 2, 3, secret);
        }

        Cli.Result grow = cli.run("scale", "replica=3");
        assertEquals(0, grow.exitCode(), grow::toString);
        Probe.assertReady(cli.project(), 3, 3, secret);

        Cli.Result down = cli.run("down");
        assertEquals(0, down.exitCode(), down::toString);
        Engine.assertNothingOf(cli.project());
    }

    @Test
    void anImageWithoutARedisOrValkeyServerIsRefusedAndNothingIsCreated() throws Exception {
        Cli cli = deployments.create("it-v-noserver", "");
        String image = "redisha-it-noserver:" + cli.project();
        Path context = Files.createTempDirectory("redisha-noserver-image");
        Files.writeString(context.resolve("hello.txt"), "no server here\n");
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /\nCMD [\"/hello\"]\n");
        build(context, image, cli.project());
        deployments.removeImageAfterwards(cli, image);
        Files.writeString(cli.topology(), "project: " + cli.project() + "\nimage: " + image + "\n");
        Cli.Result up = cli.run("up");
        assertEquals(3, up.exitCode(), up::toString);
        assertEquals("error: image " + image + " (topology `image`) is not a Redis or Valkey image: it has neither"
                + " redis-server nor valkey-server (nothing was created)", up.err().strip());
        Engine.assertNothingOf(cli.project());
    }

    @Test
    void redisOlderThan62IsRefusedAndNothingIsCreated() throws Exception {
        Cli cli = deployments.create("it-v-redis6", "");
        String image = "redisha-it-redis6:" + cli.project();
        Path context = Files.createTempDirectory("redisha-redis6-image");
        // what Redis 6.0's image says of itself, on top of a Redis 7 image (no 6.0 package exists here)
        Files.writeString(context.resolve("Dockerfile"), "FROM " + System.getenv().getOrDefault("REDISHA_IT_IMAGE", "redis:7")
                + "\nENV REDIS_VERSION=6.0.16\nCMD [\"redis-server\"]\n"
                + "RUN printf '#!/bin/sh\\necho \"Redis server v=6.0.16 sha=00000000:0 malloc=jemalloc-5.2.1 bits=64\"\\n'"
                + " > /usr/local/bin/redis-server && chmod 755 /usr/local/bin/redis-server\n");
        build(context, image, cli.project());
        deployments.removeImageAfterwards(cli, image);
        Files.writeString(cli.topology(), "project: " + cli.project() + "\nimage: " + image + "\n");
        Cli.Result up = cli.run("up");
        assertEquals(3, up.exitCode(), up::toString);
        assertEquals("error: image " + image + " (topology `image`) runs Redis 6.0.16; redisha needs Redis 6.2 or"
                + " later: older Sentinels cannot monitor a DNS name (no `sentinel resolve-hostnames`) (nothing was"
                + " created)", up.err().strip());
        Engine.assertNothingOf(cli.project());
    }

    private static void build(Path context, String image, String project) {
        Engine.client().buildImageCmd(context.toFile()).withTags(Set.of(image)).withPull(false)
                .withLabels(Map.of(Engine.PROJECT_LABEL, project))
                .exec(new BuildImageResultCallback()).awaitImageId(2, TimeUnit.MINUTES);
    }
}
