package io.redisha.cluster;

import io.redisha.backend.ImageFacts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which server an image runs, from the image itself; what redisha refuses before creating anything. */
class ServerImageTest {
    private static final String REDIS_7 = "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=e08dbad3e06f3fb";
    private static final String REDIS_6 = "Redis server v=6.0.16 sha=00000000:0 malloc=jemalloc-5.2.1 bits=64 build=6d95e1af3a2c082a";
    private static final String VALKEY_8 = "Valkey server v=8.1.1 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=384b3c0d511f998a";

    private static ImageFacts facts(List<String> cmd, Map<String, String> env) {
        return new ImageFacts(cmd, List.of("docker-entrypoint.sh"), env, Map.of());
    }

    @Test
    void anOfficialStyleImageDeclaresItsServerWithoutBeingRun() {
        FakeBackend fake = new FakeBackend("p");
        fake.images.put("valkey/valkey:8", facts(List.of("valkey-server"), Map.of("VALKEY_VERSION", "8.1.1")));
        ServerImage s = ServerImage.detect(fake, "valkey/valkey:8");
        assertEquals(new ServerImage("valkey/valkey:8", "valkey", "8.1.1", "valkey-server"), s);
        assertEquals("Valkey 8.1.1", s.describe());
        assertEquals(List.of(), fake.calls());
        assertEquals("redis-server", ServerImage.detect(fake, "redis:8").binary());
    }

    @Test
    void withoutADeclaredVersionTheServerIsRunOnceAndItsOwnWordCounts() {
        FakeBackend fake = new FakeBackend("p");
        fake.images.put("old:7", facts(List.of("redis-server"), Map.of()));
        fake.programs.put("old:7 redis-server", REDIS_7);
        assertEquals(new ServerImage("old:7", "redis", "7.0.15", "redis-server"), ServerImage.detect(fake, "old:7"));
        assertEquals(List.of("runOnce old:7 redis-server --version"), fake.calls());

        // a Valkey binary under the name redis-server says so; its default command is what runs it
        fake.images.put("renamed:1", facts(List.of("redis-server"), Map.of()));
        fake.programs.put("renamed:1 redis-server", VALKEY_8);
        assertEquals("valkey", ServerImage.detect(fake, "renamed:1").flavour());
    }

    @Test
    void anImageWhoseDefaultCommandIsNoServerIsSearchedForEither() {
        FakeBackend fake = new FakeBackend("p");
        fake.images.put("custom:1", facts(List.of("bash"), Map.of()));
        fake.programs.put("custom:1 valkey-server", VALKEY_8);
        assertEquals("valkey-server", ServerImage.detect(fake, "custom:1").binary());
    }

    @Test
    void anImageWithoutARedisOrValkeyServerIsRefusedInOneLine() {
        FakeBackend fake = new FakeBackend("p");
        fake.images.put("debian:12", facts(List.of("bash"), Map.of()));
        PreflightException e = assertThrows(PreflightException.class, () -> ServerImage.detect(fake, "debian:12"));
        assertEquals("image debian:12 (topology `image`) is not a Redis or Valkey image: it has neither redis-server"
                + " nor valkey-server (nothing was created)", e.getMessage());
        assertEquals(List.of("runOnce debian:12 valkey-server --version", "runOnce debian:12 redis-server --version"),
                fake.calls());

        fake.programs.put("debian:12 redis-server", "redis-server: a shell script");
        e = assertThrows(PreflightException.class, () -> ServerImage.detect(fake, "debian:12"));
        assertTrue(e.getMessage().contains("redis-server --version said: redis-server: a shell script"), e.getMessage());
    }

    @Test
    void redisOlderThan62IsRefusedWithTheReason() {
        FakeBackend fake = new FakeBackend("p");
        fake.images.put("redis:6.0", facts(List.of("redis-server"), Map.of("REDIS_VERSION", "6.0.16")));
        PreflightException e = assertThrows(PreflightException.class, () -> ServerImage.detect(fake, "redis:6.0"));
        assertEquals("image redis:6.0 (topology `image`) runs Redis 6.0.16; redisha needs Redis 6.2 or later: older"
                + " Sentinels cannot monitor a DNS name (no `sentinel resolve-hostnames`) (nothing was created)",
                e.getMessage());
        fake.images.put("probed:6", facts(List.of("redis-server"), Map.of()));
        fake.programs.put("probed:6 redis-server", REDIS_6);
        assertThrows(PreflightException.class, () -> ServerImage.detect(fake, "probed:6"));
        fake.images.put("redis:6.2", facts(List.of("redis-server"), Map.of("REDIS_VERSION", "6.2.14")));
        assertEquals("6.2.14", ServerImage.detect(fake, "redis:6.2").version());
    }

    @Test
    void versionLinesAreReadWhereverTheyStand() {
        assertEquals("8.0.2", ServerImage.parse("i", "redis-server", "warning: x\nRedis server v=8.0.2 sha=0").orElseThrow()
                .version());
        assertTrue(ServerImage.parse("i", "redis-server", "Usage: ./redis-server [/path/to/redis.conf]").isEmpty());
    }

    @Test
    void aServerThatTriesToLoadTheMissingCertificateServesTls() {
        assertTrue(ServerImage.tlsCapable("8:M 07 Dec 2026 08:04:33.092 # Failed to load certificate: "
                + "/nonexistent/redisha.crt: error:80000002:system library::No such file or directory\n"
                + "8:M 07 Dec 2026 08:04:33.092 # Failed to configure TLS. Check logs for more info."));
        assertFalse(ServerImage.tlsCapable("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n"
                + ">>> 'tls-port \"6379\"'\nBad directive or wrong number of arguments"));
        assertFalse(ServerImage.tlsCapable("TLS is not supported"));
    }
}
