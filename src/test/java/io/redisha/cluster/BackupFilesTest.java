package io.redisha.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file side of backups: RDB headers, manifests, the checks a restore makes first, retention. */
class BackupFilesTest {

    /** "REDIS0012", then aux fields: a plain string, an 8-bit integer and a 32-bit integer. */
    private static byte[] rdb(String version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("REDIS" + version).getBytes(StandardCharsets.US_ASCII));
        aux(out, "redis-ver", "8.0.2");
        out.write(0xFA);
        str(out, "repl-stream-db");
        out.write(0xC0);
        out.write(0);
        aux(out, "repl-id", "6ceded7ab2ea6386d4383c0ce253998ce0bcb51d");
        out.write(0xFA);
        str(out, "repl-offset");
        out.write(0xC2);
        out.writeBytes(new byte[]{(byte) 0x3E, (byte) 0xCB, 0, 0}); // 52030, little-endian
        out.write(0xFE); // SELECTDB: the data begins
        out.write(0);
        return out.toByteArray();
    }

    private static void aux(ByteArrayOutputStream out, String key, String value) {
        out.write(0xFA);
        str(out, key);
        str(out, value);
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length);
        out.writeBytes(b);
    }

    @Test
    void theHeaderGivesTheFormatAndTheSnapshotsReplicationIdAndOffset() throws Exception {
        RdbHeader h = RdbHeader.read(new ByteArrayInputStream(rdb("0012"))).orElseThrow();
        assertEquals(12, h.format());
        assertEquals("8.0.2", h.serverVersion());
        assertEquals("6ceded7ab2ea6386d4383c0ce253998ce0bcb51d", h.replicationId());
        assertEquals(52030L, h.replicationOffset());
        assertEquals("0", h.aux().get("repl-stream-db"));
    }

    @Test
    void aFileThatIsNotAnRdbHasNoHeader() throws Exception {
        assertTrue(RdbHeader.read(new ByteArrayInputStream("hello world".getBytes())).isEmpty());
        assertTrue(RdbHeader.read(new ByteArrayInputStream("REDIS".getBytes())).isEmpty());
        assertTrue(RdbHeader.read(new ByteArrayInputStream("REDISabcd".getBytes())).isEmpty());
    }

    @Test
    void aHeaderCutShortStillGivesTheFormat() throws Exception {
        byte[] whole = rdb("0010");
        byte[] cut = java.util.Arrays.copyOf(whole, 20);
        assertEquals(10, RdbHeader.read(new ByteArrayInputStream(cut)).orElseThrow().format());
    }

    private static BackupManifest manifest(String project, String file, String time, long size, String sha) {
        return new BackupManifest(BackupManifest.WRITER, time, project, file, project + "-replica-1", "replica", "redis:7",
                "redis", "7.0.15", 10, null, null, Map.of("db0", 3L), 3L, 0L, size, sha);
    }

    private static Path write(Path dir, BackupManifest m, byte[] data) throws Exception {
        Path file = dir.resolve(m.file());
        Files.write(file, data);
        Files.writeString(BackupManifest.of(file), m.toJson());
        return file;
    }

    @Test
    void aRestoreRefusesATruncatedFileAndOneWhoseChecksumDiffers(@TempDir Path dir) throws Exception {
        byte[] data = rdb("0010");
        Path good = dir.resolve("good.rdb");
        Files.write(good, data);
        String sha = Checksums.sha256(good);
        BackupManifest m = manifest("p", "good.rdb", "2026-01-01T00:00:00Z", data.length, sha);
        Restore.checkAgainst(good, m);

        Files.write(good, java.util.Arrays.copyOf(data, data.length - 1));
        BackupException truncated = assertThrows(BackupException.class, () -> Restore.checkAgainst(good, m));
        assertEquals(BackupException.Kind.DAMAGED, truncated.kind());
        assertTrue(truncated.getMessage().contains("truncated: " + (data.length - 1) + " of " + data.length), truncated.getMessage());

        byte[] flipped = data.clone();
        flipped[12] ^= 1;
        Files.write(good, flipped);
        BackupException checksum = assertThrows(BackupException.class, () -> Restore.checkAgainst(good, m));
        assertTrue(checksum.getMessage().contains("SHA-256"), checksum.getMessage());
    }

    @Test
    void aManifestReadsBackAsItWasWritten(@TempDir Path dir) throws Exception {
        BackupManifest m = manifest("p", "p-20260101T000000Z.rdb", "2026-01-01T00:00:00Z", 3, "ab");
        Path file = write(dir, m, new byte[3]);
        assertEquals(m, BackupManifest.read(file).orElseThrow());
        assertTrue(BackupManifest.read(dir.resolve("none.rdb")).isEmpty());
        Files.writeString(BackupManifest.of(file), "{not json");
        assertEquals(BackupException.Kind.DAMAGED, assertThrows(BackupException.class, () -> BackupManifest.read(file)).kind());
    }

    @Test
    void retentionDeletesOnlyTheOlderBackupsTheProjectWroteThere(@TempDir Path dir) throws Exception {
        Path oldest = write(dir, manifest("p", "p-1.rdb", "2026-01-01T00:00:00Z", 1, "a"), new byte[1]);
        Path middle = write(dir, manifest("p", "p-2.rdb", "2026-01-02T00:00:00Z", 1, "a"), new byte[1]);
        Path newest = write(dir, manifest("p", "p-3.rdb", "2026-01-03T00:00:00Z", 1, "a"), new byte[1]);
        Path otherProject = write(dir, manifest("q", "q-0.rdb", "2025-01-01T00:00:00Z", 1, "a"), new byte[1]);
        Path notRedisha = write(dir, new BackupManifest("someone", "2025-01-01T00:00:00Z", "p", "p-0.rdb", null, null, null,
                null, null, 10, null, null, null, null, null, 1, "a"), new byte[1]);
        Path misnamed = dir.resolve("copy.rdb");
        Files.write(misnamed, new byte[1]);
        Files.copy(BackupManifest.of(oldest), BackupManifest.of(misnamed));
        Path bare = Files.write(dir.resolve("p-0000.rdb"), new byte[1]);

        assertEquals(List.of(oldest), Retention.apply(dir, "p", 2));
        assertFalse(Files.exists(oldest));
        assertFalse(Files.exists(BackupManifest.of(oldest)));
        for (Path kept : List.of(middle, newest, otherProject, notRedisha, misnamed, bare)) {
            assertTrue(Files.exists(kept), kept + " kept");
        }
        assertEquals(List.of(middle), Retention.apply(dir, "p", 1));
    }

    @Test
    void aBackupGoesIntoADirectoryUnderTheProjectsNameAndTheTimeOrToTheFileNamed(@TempDir Path dir) {
        Instant t = Instant.parse("2026-12-07T08:09:34.567Z");
        assertEquals(dir.resolve("p-20261207T080934Z.rdb"), Backups.target(dir.toString(), "p", t));
        assertEquals(dir.resolve("new/p-20261207T080934Z.rdb"), Backups.target(dir + "/new/", "p", t));
        assertEquals(dir.resolve("mine.rdb"), Backups.target(dir + "/mine.rdb", "p", t));
        BackupException missing = assertThrows(BackupException.class, () -> Backups.target(dir + "/no/such.rdb", "p", t));
        assertTrue(missing.getMessage().startsWith("--to: directory"), missing.getMessage());
    }

    @Test
    void aNewSnapshotIsOneMoreSaveOrANewSaveTime() {
        assertTrue(Backups.newSave(Map.of("rdb_saves", "3"), Map.of("rdb_saves", "4")));
        assertFalse(Backups.newSave(Map.of("rdb_saves", "3"), Map.of("rdb_saves", "3")));
        // one in progress when asked: that one is older than the request, the next is the one asked for
        assertFalse(Backups.newSave(Map.of("rdb_saves", "3", "rdb_bgsave_in_progress", "1"), Map.of("rdb_saves", "4")));
        assertTrue(Backups.newSave(Map.of("rdb_saves", "3", "rdb_bgsave_in_progress", "1"), Map.of("rdb_saves", "5")));
        assertTrue(Backups.newSave(Map.of("rdb_last_save_time", "10"), Map.of("rdb_last_save_time", "11")));
        assertFalse(Backups.newSave(Map.of("rdb_last_save_time", "10"), Map.of("rdb_last_save_time", "10")));
    }

    @Test
    void keysPerDatabaseComeFromInfoKeyspace() {
        Map<String, Long> keys = Info.keysPerDb("# Keyspace\r\ndb0:keys=1000,expires=60,avg_ttl=0\r\ndb3:keys=2,expires=0,avg_ttl=0\r\n");
        assertEquals(Map.of("db0", 1000L, "db3", 2L), keys);
        assertEquals(1002, Info.total(keys));
    }

    @Test
    void theCheckSaysWhichLineOfTheServersCheckFailed() {
        String output = "[offset 0] Checking RDB file /tmp/x.rdb\n--- RDB ERROR DETECTED ---\n"
                + "[offset 5490] Unexpected EOF reading RDB file\n[additional info] While doing: read-object-value\n";
        assertEquals("[offset 5490] Unexpected EOF reading RDB file", RdbCheck.firstError(output));
        assertEquals("redis-check-rdb", RdbCheck.program(new ServerImage("redis:7", "redis", "7.0.15", "redis-server")));
        assertEquals("valkey-check-rdb", RdbCheck.program(new ServerImage("v", "valkey", "8.1.1", "valkey-server")));
    }
}
