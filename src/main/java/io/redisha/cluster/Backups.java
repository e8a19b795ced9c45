package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.Snapshots;
import io.redisha.topology.Persistence;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes a backup: a snapshot ({@code BGSAVE}) on a healthy replica, so that the master never forks,
 * copied out through the backend, checked, and written atomically beside its manifest.
 */
public final class Backups {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Cluster cluster;
    private final Progress progress;

    public Backups(Cluster cluster) {
        this.cluster = cluster;
        this.progress = cluster.progress();
    }

    /**
     * What a backup wrote.
     *
     * @param warning why the snapshot was not taken on a replica, or null
     * @param removed older backups that retention deleted
     */
    public record Taken(Path file, Path manifestFile, BackupManifest manifest, String warning, List<Path> removed) {
    }

    /**
     * Takes a backup.
     *
     * @param to             a directory (the file is named after the project and the time) or a file
     * @param requireReplica refuse rather than take the snapshot on the master
     * @param keep           how many backups of the project to keep in the directory, or null for all
     * @param timeout        longest wait for the snapshot
     */
    public Taken take(String to, boolean requireReplica, Integer keep, Duration timeout) {
        Snapshots snapshots = snapshots(cluster);
        ServerImage server = cluster.server();
        Source source = source(requireReplica);
        if (source.warning() != null) {
            progress.step("warning: " + source.warning());
        }
        Instant started = Instant.now();
        Path target = target(to, cluster.topology().project(), started);
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
        try {
            Snapshot snapshot = snapshot(source.node(), timeout);
            progress.step("copying " + snapshot.path() + " out of " + source.node().name());
            String sha = copy(snapshots, source.node(), snapshot.path(), partial);
            if (cluster.topology().persistence() == Persistence.OFF) {
                snapshots.removeFile(source.node(), snapshot.path());
            }
            long size = Files.size(partial);
            RdbHeader header = RdbHeader.read(partial).orElseThrow(() -> new BackupException(
                    BackupException.Kind.DAMAGED, "the snapshot copied from " + source.node().name() + " is not an RDB file"));
            progress.step("checking the snapshot with " + RdbCheck.program(server) + " of " + server.image());
            RdbCheck check = RdbCheck.run(snapshots, server, partial);
            if (!Checksums.sha256(partial).equals(sha)) {
                throw new BackupException(BackupException.Kind.DAMAGED, "the snapshot changed on disk while it was checked");
            }
            BackupManifest manifest = new BackupManifest(BackupManifest.WRITER,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), cluster.topology().project(),
                    target.getFileName().toString(), source.node().name(), source.isReplica() ? "replica" : "master",
                    server.image(), server.flavour(), header.serverVersion() != null ? header.serverVersion() : server.version(),
                    header.format(), header.replicationId(), header.replicationOffset(), snapshot.keysPerDb(),
                    check.keys(), check.expires(), size, sha);
            Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Path manifestFile = BackupManifest.of(target);
            Checksums.createPrivate(partial);
            Files.writeString(partial, manifest.toJson());
            Files.move(partial, manifestFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            List<Path> removed = keep == null ? List.of() : Retention.apply(target.getParent(),
                    cluster.topology().project(), keep);
            removed.forEach(p -> progress.step("removed older backup " + p));
            return new Taken(target, manifestFile, manifest, source.warning(), removed);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the backup " + target + " failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                progress.step("could not remove " + partial + ": " + e.getMessage());
            }
        }
    }

    /** The node a snapshot is taken on, and why it is not a replica (null when it is). */
    private record Source(Node node, String warning) {
        boolean isReplica() {
            return warning == null;
        }
    }

    /** A healthy replica (running, linked to the current master); else the master, unless a replica is required. */
    private Source source(boolean requireReplica) {
        ClusterStatus status = cluster.status(Expected.of(cluster.topology()));
        Deployment d = cluster.deployment();
        Optional<Node> replica = status.nodes().stream()
                .filter(n -> "running".equals(n.state()) && "up".equals(n.link()) && status.master() != null
                        && status.master().equals(n.replicaOf()))
                .map(n -> d.named(n.name()).orElse(null)).filter(n -> n != null && n.dial() != null).findFirst();
        if (replica.isPresent()) {
            return new Source(replica.get(), null);
        }
        if (requireReplica) {
            throw new BackupException(BackupException.Kind.REFUSED, "no healthy replica to take the snapshot on "
                    + "(--require-replica); nothing was written");
        }
        Node master = Optional.ofNullable(status.master()).flatMap(d::named).orElseThrow(() -> new BackupException(
                BackupException.Kind.REFUSED, "no master and no healthy replica to take the snapshot on"));
        return new Source(master, "no healthy replica: the snapshot was taken on the master " + master.name()
                + ", which forks for it");
    }

    /** The backend's snapshot files, or a refusal when it has none. */
    static Snapshots snapshots(Cluster cluster) {
        return cluster.backend().snapshots().orElseThrow(() -> new BackupException(BackupException.Kind.REFUSED,
                "backups are not supported on " + cluster.backend().describe() + " yet"));
    }

    /** The file a backup goes to: in a directory, named after the project and the time. */
    static Path target(String to, String project, Instant time) {
        Path path = Path.of(to);
        Path dir = Files.isDirectory(path) || to.endsWith("/") ? path : null;
        if (dir == null) {
            Path parent = path.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new BackupException(BackupException.Kind.REFUSED, "--to: directory " + parent + " does not exist");
            }
            return path.toAbsolutePath();
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BackupException(BackupException.Kind.REFUSED, "--to: cannot create directory " + dir + ": "
                    + e.getMessage(), e);
        }
        return dir.toAbsolutePath().resolve(fileName(project, time));
    }

    static String fileName(String project, Instant time) {
        return project + "-" + STAMP.format(time) + ".rdb";
    }

    /** The finished snapshot on the node: where it is, and the keys of each database when it began. */
    private record Snapshot(String path, Map<String, Long> keysPerDb) {
    }

    /** BGSAVE (after one in progress, if any), then waits on INFO persistence until a new snapshot is written. */
    private Snapshot snapshot(Node source, Duration timeout) {
        try (Jedis jedis = cluster.redis().redis(source.nameAddress())) {
            String dir = configValue(jedis, "dir");
            String name = configValue(jedis, "dbfilename");
            Map<String, String> before = Info.fields(jedis.info("persistence"));
            Map<String, Long> keys = Info.keysPerDb(jedis.info("keyspace"));
            progress.step("BGSAVE on " + source.name() + " (" + keys.values().stream().mapToLong(Long::longValue).sum()
                    + " keys)");
            jedis.bgsaveSchedule();
            Poll<Void> done = Await.quietly().until(Await.deadline(timeout), () -> {
                Map<String, String> now = Info.fields(jedis.info("persistence"));
                if ("1".equals(now.get("rdb_bgsave_in_progress")) || !newSave(before, now)) {
                    return Poll.waiting("a snapshot on " + source.name());
                }
                return Poll.ok();
            });
            if (!done.done()) {
                throw new BackupException(BackupException.Kind.REFUSED, "no snapshot on " + source.name() + " within "
                        + timeout.toSeconds() + " s");
            }
            Map<String, String> after = Info.fields(jedis.info("persistence"));
            if (!"ok".equals(after.get("rdb_last_bgsave_status"))) {
                throw new BackupException(BackupException.Kind.REFUSED, "the snapshot on " + source.name()
                        + " failed (rdb_last_bgsave_status:" + after.get("rdb_last_bgsave_status") + "); see redisha logs");
            }
            return new Snapshot(dir.endsWith("/") ? dir + name : dir + "/" + name, keys);
        } catch (JedisException e) {
            throw new BackupException(BackupException.Kind.REFUSED, "asking " + source.name() + " for a snapshot failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The snapshot asked for is written: the count of saves went up by one, or by two when one was in
     * progress when it was asked for (BGSAVE SCHEDULE runs after it); without the count (Redis 6.2), the
     * time of the last save changed.
     */
    static boolean newSave(Map<String, String> before, Map<String, String> now) {
        if (before.containsKey("rdb_saves") && now.containsKey("rdb_saves")) {
            long wanted = "1".equals(before.get("rdb_bgsave_in_progress")) ? 2 : 1;
            return Long.parseLong(now.get("rdb_saves")) - Long.parseLong(before.get("rdb_saves")) >= wanted;
        }
        return !now.getOrDefault("rdb_last_save_time", "").equals(before.getOrDefault("rdb_last_save_time", ""));
    }

    private static String configValue(Jedis jedis, String key) {
        Map<String, String> values = jedis.configGet(key);
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw new BackupException(BackupException.Kind.REFUSED, "the node does not tell its " + key);
        }
        return value;
    }

    /** Copies the node's file into {@code partial} (owner-only), with progress; returns its SHA-256. */
    private String copy(Snapshots snapshots, Node source, String path, Path partial) throws IOException {
        Files.deleteIfExists(partial);
        Checksums.createPrivate(partial);
        MessageDigest digest = Checksums.sha256();
        long start = System.nanoTime();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), digest)) {
            long size = snapshots.copyOut(source, path, out, copied -> {
                double seconds = (System.nanoTime() - start) / 1e9;
                if (seconds > 2) {
                    progress.step(String.format("copied %d MB (%.0f MB/s)", copied >> 20, (copied >> 20) / seconds));
                }
            });
            progress.step(String.format("copied %d bytes in %.1f s", size, (System.nanoTime() - start) / 1e9));
        }
        return Checksums.hex(digest.digest());
    }
}
