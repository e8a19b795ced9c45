package io.redisha.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * -v raises redisha's diagnostics to DEBUG; -vv also docker-java's and Jedis'; -vvv adds the time of
 * every engine call. Quiet by default.
 */
public class LoggingMixin {
    /** Each command's mixin sees the options: the start is told once. */
    private static final AtomicBoolean startLogged = new AtomicBoolean();

    @Option(names = {"-v", "--verbose"},
            description = "More diagnostics on stderr (-vv for the libraries too, -vvv with each engine call's time).")
    void setVerbose(boolean[] verbose) {
        Level redisha = verbose.length >= 3 ? Level.TRACE : verbose.length >= 1 ? Level.DEBUG : Level.WARN;
        Level libraries = verbose.length >= 2 ? Level.DEBUG : Level.WARN;
        level("io.redisha", redisha);
        level("com.github.dockerjava", libraries);
        level("org.apache.hc", libraries);
        level("redis.clients", libraries);
        if (verbose.length >= 1 && !startLogged.getAndSet(true)) {
            // what the launcher and the JVM's start cost before redisha's own code ran
            ProcessHandle.current().info().startInstant().ifPresent(started -> LoggerFactory.getLogger(LoggingMixin.class)
                    .debug("process started {} ms before the options were read",
                            Duration.between(started, Instant.now()).toMillis()));
        }
    }

    private static void level(String name, Level level) {
        if (LoggerFactory.getLogger(name) instanceof Logger logger) {
            logger.setLevel(level);
        }
    }
}
