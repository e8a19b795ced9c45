package io.redisha.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What redisha writes beside a backup ({@code FILE.json}): where and when the snapshot was taken,
 * what wrote it, and what a restore checks the file and the restored data against.
 *
 * @param writer            always {@link #WRITER}: the files retention may delete are those with it
 * @param time              when the snapshot finished, ISO-8601 UTC
 * @param file              the backup's file name (in the same directory)
 * @param source            the node the snapshot was taken on, and its role then (replica or master)
 * @param server            "redis" or "valkey"
 * @param serverVersion     the version of the server that wrote the snapshot
 * @param rdbFormat         the RDB format version of the file's header
 * @param replicationId     the replication id of the snapshot (from the file), or null
 * @param replicationOffset the replication offset of the snapshot (from the file), or null
 * @param keysPerDb         the keys of each database as the source reported them when the snapshot began
 * @param keys              the keys the server's own check read from the file
 * @param expires           of those, the keys with a time to live
 * @param size              the file's size in bytes
 * @param sha256            the file's SHA-256, hexadecimal
 */
public record BackupManifest(String writer, String time, String project, String file, String source, String sourceRole,
                             String image, String server, String serverVersion, int rdbFormat, String replicationId,
                             Long replicationOffset, Map<String, Long> keysPerDb, Long keys, Long expires, long size,
                             String sha256) {
    public static final String WRITER = "redisha";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Where the manifest of a backup file is. */
    public static Path of(Path backup) {
        return backup.resolveSibling(backup.getFileName() + ".json");
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the manifest", e);
        }
    }

    /** The manifest of a backup file; empty when there is none. */
    public static Optional<BackupManifest> read(Path backup) {
        Path manifest = of(backup);
        if (!Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(manifest.toFile(), BackupManifest.class));
        } catch (IOException e) {
            throw new BackupException(BackupException.Kind.DAMAGED, "the manifest " + manifest + " cannot be read: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
