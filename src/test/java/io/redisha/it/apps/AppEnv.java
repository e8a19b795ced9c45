package io.redisha.it.apps;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.HostAndPortMapper;
import redis.clients.jedis.JedisClientConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What an application launched by {@code failover-test --while} finds in its environment, read the
 * way docs/connecting.md tells users to: REDISHA_SENTINELS, REDISHA_MASTER_NAME, REDISHA_ADDRESS_MAP, and the
 * password from the file or variable that REDISHA_PASSWORD_FILE or REDISHA_PASSWORD_ENV names.
 */
final class AppEnv {
    final String masterName;
    final Set<HostAndPort> sentinels = new LinkedHashSet<>();
    final Map<HostAndPort, HostAndPort> table = new HashMap<>();
    final HostAndPortMapper mapper;
    final String password;
    final String sentinelPassword;

    private AppEnv(Map<String, String> env) {
        masterName = required(env, "REDISHA_MASTER_NAME");
        for (String s : required(env, "REDISHA_SENTINELS").split(",")) {
            sentinels.add(HostAndPort.from(s));
        }
        for (String entry : required(env, "REDISHA_ADDRESS_MAP").split(",")) {
            int eq = entry.indexOf('=');
            table.put(HostAndPort.from(entry.substring(0, eq)), HostAndPort.from(entry.substring(eq + 1)));
        }
        mapper = address -> table.getOrDefault(address, address);
        password = password(env, "REDISHA_PASSWORD");
        sentinelPassword = password(env, "REDISHA_SENTINEL_PASSWORD");
    }

    static AppEnv read() {
        return new AppEnv(System.getenv());
    }

    JedisClientConfig redisConfig(int timeoutMillis) {
        return DefaultJedisClientConfig.builder().hostAndPortMapper(mapper).timeoutMillis(timeoutMillis)
                .password(password).build();
    }

    JedisClientConfig sentinelConfig() {
        return DefaultJedisClientConfig.builder().hostAndPortMapper(mapper).timeoutMillis(2000)
                .password(sentinelPassword).build();
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set: run me with redisha failover-test --while");
        }
        return value;
    }

    private static String password(Map<String, String> env, String prefix) {
        String file = env.get(prefix + "_FILE");
        if (file != null) {
            try {
                return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).get(0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String variable = env.get(prefix + "_ENV");
        return variable == null ? null : env.get(variable);
    }

    /** Prints a line at once: redisha reads the output as it comes. */
    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Returns a flag that turns true when the input closes: redisha's sign that the round is over. */
    static java.util.concurrent.atomic.AtomicBoolean roundOver() {
        java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the input carries nothing; only its end matters
                }
            } catch (IOException e) {
                // a broken input ends the round as well
            }
            over.set(true);
        }, "round-over");
        watcher.setDaemon(true);
        watcher.start();
        return over;
    }
}
