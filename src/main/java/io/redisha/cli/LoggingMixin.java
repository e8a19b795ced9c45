package io.redisha.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * -v raises redisha's diagnostics to DEBUG; -vv also docker-java's and Jedis'; -vvv adds the time of
 * every engine call. Quiet by default. The HTTP client's dump of the bytes it sends stays off at every
 * level: they carry passwords.
 */
public class LoggingMixin {
    /** Each command's mixin sees the options: the start is told once. */
    private static final AtomicBoolean startLogged = new AtomicBoolean();
    /** The launcher's start time, set by scripts/redisha ({@link #launched}). */
    static final String LAUNCHED = "REDISHA_LAUNCHED";

    @Option(names = {"-v", "--verbose"},
            description = "More diagnostics on stderr (-vv for the libraries too, -vvv with each engine call's time).")
    void setVerbose(boolean[] verbose) {
        Level redisha = verbose.length >= 3 ? Level.TRACE : verbose.length >= 1 ? Level.DEBUG : Level.WARN;
        Level libraries = verbose.length >= 2 ? Level.DEBUG : Level.WARN;
        level("io.redisha", redisha);
        level("com.github.dockerjava", libraries);
        level("org.apache.hc", libraries);
        // never: the raw bytes of every request, which carry the configuration files copied into the
        // containers and the Swarm secrets' data, passwords included
        level("org.apache.hc.client5.http.wire", Level.OFF);
        level("redis.clients", libraries);
        if (verbose.length >= 1 && !startLogged.getAndSet(true)) {
            // what the launcher and the JVM's start cost before redisha's own code ran
            Optional<Instant> launched = launched(System.getenv(LAUNCHED));
            if (launched.isPresent()) {
                LoggerFactory.getLogger(LoggingMixin.class).debug("launched {} ms before the options were read",
                        Duration.between(launched.get(), Instant.now()).toMillis());
            } else {
                ProcessHandle.current().info().startInstant().ifPresent(started -> LoggerFactory.getLogger(LoggingMixin.class)
                        .debug("process started {} ms before the options were read (to within a second: the system"
                                + " counts from its boot time in whole seconds)", Duration.between(started, Instant.now()).toMillis()));
            }
        }
    }

    /**
     * The launcher's start, as scripts/redisha exports it: bash's {@code EPOCHREALTIME}, seconds since the
     * epoch with microseconds after a point or comma (the locale's). The process start time the system
     * keeps is counted from a boot time in whole seconds, so it can be off by up to a second.
     */
    static Optional<Instant> launched(String value) {
        if (value == null || !value.matches("\\d{1,12}[.,]\\d{1,9}")) {
            return Optional.empty();
        }
        String[] parts = value.split("[.,]");
        long nanos = Long.parseLong((parts[1] + "000000000").substring(0, 9));
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(parts[0]), nanos));
    }

    private static void level(String name, Level level) {
        if (LoggerFactory.getLogger(name) instanceof Logger logger) {
            logger.setLevel(level);
        }
    }
}
