package io.redisha.sentinel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Sentinel image's build context ({@code Dockerfile} and the {@code sentinel.conf} template):
 * the {@code sentinel/} directory beside the topology file, else in the working directory, else
 * the copy packaged in redisha's jar.
 */
public final class SentinelContext {
    private static final List<String> FILES = List.of("Dockerfile", "sentinel.conf");
    private static final String PACKAGED = "/io/redisha/sentinel/context/";

    /** null until the packaged copy is needed: only commands that create Sentinels unpack it. */
    private Path directory;

    private SentinelContext(Path directory) {
        this.directory = directory;
    }

    public static SentinelContext locate(Path topologyFile) {
        if (topologyFile != null) {
            Path parent = topologyFile.toAbsolutePath().getParent();
            if (parent != null && isContext(parent.resolve("sentinel"))) {
                return new SentinelContext(parent.resolve("sentinel"));
            }
        }
        Path cwd = Path.of("sentinel").toAbsolutePath();
        if (isContext(cwd)) {
            return new SentinelContext(cwd);
        }
        return new SentinelContext(null);
    }

    private static boolean isContext(Path dir) {
        return FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    private static Path extractPackaged() {
        try {
            Path dir = Files.createTempDirectory("redisha-sentinel");
            dir.toFile().deleteOnExit();
            for (String name : FILES) {
                try (InputStream in = SentinelContext.class.getResourceAsStream(PACKAGED + name)) {
                    if (in == null) {
                        throw new IllegalStateException("redisha's jar lacks " + PACKAGED + name);
                    }
                    Path target = dir.resolve(name);
                    Files.copy(in, target);
                    target.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the Sentinel build context", e);
        }
    }

    public File directory() {
        return dir().toFile();
    }

    private synchronized Path dir() {
        if (directory == null) {
            directory = extractPackaged();
        }
        return directory;
    }

    public Template sentinelTemplate() {
        Path file = dir().resolve("sentinel.conf");
        try {
            return new Template(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static Template redisTemplate() {
        try (InputStream in = SentinelContext.class.getResourceAsStream("/io/redisha/sentinel/redis.conf")) {
            if (in == null) {
                throw new IllegalStateException("redisha's jar lacks io/redisha/sentinel/redis.conf");
            }
            return new Template("redis.conf", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the redis.conf template", e);
        }
    }
}
