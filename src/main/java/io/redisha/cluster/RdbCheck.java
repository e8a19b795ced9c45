package io.redisha.cluster;

import io.redisha.backend.Snapshots;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's own check of an RDB file ({@code redis-check-rdb}, {@code valkey-check-rdb}), run in a
 * throw-away container of the deployment's image: the verdict of the very server that would load it.
 *
 * @param keys    the keys it read
 * @param expires of those, the keys with a time to live
 */
record RdbCheck(long keys, long expires) {
    private static final Pattern KEYS = Pattern.compile("(\\d+) keys read");
    private static final Pattern EXPIRES = Pattern.compile("(\\d+) expires");
    private static final Pattern FORMAT = Pattern.compile("Can't handle RDB format version (\\d+)");
    private static final Pattern ERROR = Pattern.compile("\\[offset (\\d+)] (.*)");

    /** The check program beside the image's server: redis-check-rdb beside redis-server. */
    static String program(ServerImage server) {
        return server.binary().replace("-server", "-check-rdb");
    }

    /**
     * Checks the file with the server of the image.
     *
     * @throws BackupException {@link BackupException.Kind#NEWER_FORMAT} when the server cannot read the
     *                         file's format, {@link BackupException.Kind#DAMAGED} when the check fails
     */
    static RdbCheck run(Snapshots snapshots, ServerImage server, Path file) {
        String program = program(server);
        Snapshots.Run run = snapshots.runOver(server.image(), program, List.of(Snapshots.CHECKED_FILE), file);
        Matcher format = FORMAT.matcher(run.output());
        if (format.find()) {
            throw new BackupException(BackupException.Kind.NEWER_FORMAT, file + " has RDB format " + format.group(1)
                    + ", newer than " + server.describe() + " of image " + server.image() + " reads; nothing was changed");
        }
        if (run.exitCode() != 0) {
            throw new BackupException(BackupException.Kind.DAMAGED, file + " fails " + program + " of image "
                    + server.image() + " (exit " + run.exitCode() + "): " + firstError(run.output()));
        }
        return new RdbCheck(number(KEYS, run.output()).orElse(0L), number(EXPIRES, run.output()).orElse(0L));
    }

    private static Optional<Long> number(Pattern pattern, String output) {
        Matcher m = pattern.matcher(output);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** The line after "RDB ERROR DETECTED", which says what is wrong and where. */
    static String firstError(String output) {
        List<String> lines = output.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("ERROR DETECTED") && i + 1 < lines.size()) {
                return lines.get(i + 1).strip();
            }
        }
        return lines.stream().filter(l -> ERROR.matcher(l).find()).reduce((a, b) -> b)
                .orElse(lines.isEmpty() ? "no output" : lines.get(lines.size() - 1)).strip();
    }
}
