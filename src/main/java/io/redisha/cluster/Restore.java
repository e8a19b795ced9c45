package io.redisha.cluster;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.redisha.backend.Endpoint;
import io.redisha.backend.Node;
import io.redisha.backend.Snapshots;
import io.redisha.topology.Persistence;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restores a backup into a running deployment. Everything that can refuse it is checked first, while
 * nothing has changed: the manifest, the file's size and checksum, the server's own check of the file
 * (which also refuses a format newer than it reads), and whether the deployment holds data.
 *
 * <p>Then the master is restarted with the file as its data: its Sentinels are told to wait an hour
 * before they call it down meanwhile (so none promotes a replica that still holds the old data), and its
 * start skips the start script's question (it is and stays the master). The replicas keep serving the
 * old data set until they have copied the new one whole (a full resynchronisation: the restarted master
 * has a new replication history), then load it; none serves half of it. The deployment must then be
 * ready, and every node hold the file's keys.
 *
 * <p>With an append-only file the master is restarted with it turned off (a server that has one loads
 * it and ignores the snapshot), then it is turned on again and written anew from the loaded data.
 */
public final class Restore {
    /** How long the Sentinels wait before they call the master down while it loads. */
    private static final String LOADING_DOWN_AFTER = "3600000";

    private final Cluster cluster;
    private final Progress progress;

    public Restore(Cluster cluster) {
        this.cluster = cluster;
        this.progress = cluster.progress();
    }

    /**
     * What a restore replaces and with what.
     *
     * @param manifest    the backup's manifest, or null without one
     * @param fileKeys    the keys the server's check read from the file
     * @param fileExpires of those, the keys with a time to live
     * @param keysNow     the master's keys now, by database
     * @param replicas    the replicas that will copy the restored data
     */
    public record Plan(@JsonSerialize(using = ToStringSerializer.class) Path file, BackupManifest manifest, int rdbFormat, long fileKeys, long fileExpires,
                       String master, Map<String, Long> keysNow, List<String> replicas) {
    }

    /**
     * What a restore did.
     *
     * @param keys     the master's keys after the restore, by database
     * @param replicas each replica and its keys after the restore
     */
    public record Done(Plan plan, Map<String, Long> keys, Map<String, Long> replicas, double seconds) {
    }

    /**
     * A backup file that passed every check that needs no deployment.
     *
     * @param manifest its manifest, or null without one
     */
    public record CheckedFile(Path file, BackupManifest manifest, int rdbFormat, long keys, long expires) {
    }

    /**
     * Checks the file against its manifest (size, SHA-256) and with the server of the topology's image
     * (which refuses a format newer than it reads); changes nothing.
     *
     * @throws BackupException when the file is refused
     */
    public CheckedFile check(Path file, boolean withoutManifest) {
        if (!Files.isRegularFile(file)) {
            throw new BackupException(BackupException.Kind.REFUSED, file + ": no such file");
        }
        Optional<BackupManifest> manifest = BackupManifest.read(file);
        if (manifest.isEmpty() && !withoutManifest) {
            throw new BackupException(BackupException.Kind.REFUSED, file + " has no manifest " + BackupManifest.of(file)
                    + " to check it against (--no-manifest restores it without); nothing was changed");
        }
        manifest.ifPresent(m -> checkAgainst(file, m));
        RdbHeader header;
        try {
            header = RdbHeader.read(file).orElseThrow(() -> new BackupException(BackupException.Kind.DAMAGED,
                    file + " is not an RDB file (no REDIS header); nothing was changed"));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " failed: " + e.getMessage(), e);
        }
        progress.step("checking " + file.getFileName() + " with " + RdbCheck.program(cluster.server()) + " of "
                + cluster.server().image());
        RdbCheck check = RdbCheck.run(Backups.snapshots(cluster), cluster.server(), file);
        if (manifest.isPresent() && manifest.get().keys() != null && manifest.get().keys() != check.keys()) {
            throw new BackupException(BackupException.Kind.DAMAGED, file + " holds " + check.keys() + " keys, its manifest "
                    + "says " + manifest.get().keys() + "; nothing was changed");
        }
        return new CheckedFile(file, manifest.orElse(null), header.format(), check.keys(), check.expires());
    }

    /**
     * Checks the file and the deployment, and what would be replaced; changes nothing.
     *
     * @throws BackupException when the restore is refused
     */
    public Plan plan(Path file, boolean force, boolean withoutManifest) {
        return plan(check(file, withoutManifest), force);
    }

    /** What the restore of a checked file would replace; refused when the deployment holds keys, unless forced. */
    public Plan plan(CheckedFile file, boolean force) {
        ClusterStatus status = cluster.status(Expected.of(cluster.topology()));
        if (status.master() == null) {
            throw new BackupException(BackupException.Kind.REFUSED, "project " + cluster.topology().project()
                    + " has no master to restore into (run redisha up); nothing was changed");
        }
        if (!status.ready()) {
            // the end of a restore is the deployment ready again: it must be so to begin with
            throw new BackupException(BackupException.Kind.REFUSED, "project " + cluster.topology().project()
                    + " is not ready (" + String.join("; ", status.notReady()) + "); run redisha up first; nothing was changed");
        }
        Node master = cluster.deployment().named(status.master()).orElseThrow();
        Map<String, Long> now = keys(master);
        long held = Info.total(now);
        if (held > 0 && !force) {
            throw new BackupException(BackupException.Kind.REFUSED, "the deployment holds " + held + " keys on "
                    + master.name() + "; --force replaces them with the backup's " + file.keys()
                    + " (--dry-run shows what would be replaced); nothing was changed");
        }
        List<String> replicas = status.nodes().stream().filter(n -> !n.name().equals(master.name()))
                .map(NodeStatus::name).toList();
        return new Plan(file.file(), file.manifest(), file.rdbFormat(), file.keys(), file.expires(), master.name(),
                now, replicas);
    }

    /** Size first (a truncated file says so), then the checksum. */
    static void checkAgainst(Path file, BackupManifest manifest) {
        try {
            long size = Files.size(file);
            if (size < manifest.size()) {
                throw new BackupException(BackupException.Kind.DAMAGED, file + " is truncated: " + size + " of "
                        + manifest.size() + " bytes; nothing was changed");
            }
            if (size != manifest.size()) {
                throw new BackupException(BackupException.Kind.DAMAGED, file + " has " + size + " bytes, its manifest says "
                        + manifest.size() + "; nothing was changed");
            }
            if (!Checksums.sha256(file).equalsIgnoreCase(manifest.sha256())) {
                throw new BackupException(BackupException.Kind.DAMAGED, file + " does not match its manifest's SHA-256 "
                        + "(the file was changed or damaged); nothing was changed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Loads the planned file on the master; the deployment is ready again when it returns. */
    public Done apply(Plan plan, Duration timeout) {
        long started = System.nanoTime();
        Snapshots snapshots = Backups.snapshots(cluster);
        Node master = cluster.refresh().named(plan.master()).orElseThrow();
        String path = dataFile(master);
        List<Node> sentinels = cluster.deployment().sentinels().stream().filter(Node::isRunning).toList();
        String downAfter = String.valueOf(cluster.topology().sentinels().downAfterMillis());
        boolean aof = cluster.topology().persistence() == Persistence.AOF;
        boolean appendOnlyOff = false;
        try {
            setDownAfter(sentinels, LOADING_DOWN_AFTER);
            if (aof) {
                // a server with appendonly yes loads its append-only file and ignores the snapshot
                progress.step("turning the append-only file of " + master.name() + " off while it loads the snapshot");
                appendOnlyOff = true;
                appendOnly(master, false);
            }
            progress.step("restarting " + master.name() + " with " + plan.file().getFileName());
            snapshots.restartWith(master, path, plan.file());
            awaitLoaded(master, Await.deadline(timeout));
            if (cluster.backend().addressesMove()) {
                followNewAddress(master, sentinels);
            }
            if (aof) {
                rewriteAppendOnly(master, Await.deadline(timeout));
                appendOnlyOff = false;
            }
            if (cluster.topology().persistence() == Persistence.OFF) {
                // without persistence a later restart must not bring this snapshot back
                snapshots.removeFile(cluster.refresh().named(plan.master()).orElseThrow(), path);
            }
        } finally {
            if (appendOnlyOff) {
                appendOnlyBack(master);
            }
            setDownAfter(sentinels, downAfter);
        }
        progress.step("waiting for the replicas to copy the restored data");
        cluster.waitReady(Expected.of(cluster.topology()), timeout);
        Map<String, Long> keys = keys(cluster.refresh().named(plan.master()).orElseThrow());
        long total = Info.total(keys);
        // keys with a time to live may have expired since the snapshot, no other may be missing
        if (total > plan.fileKeys() || total < plan.fileKeys() - plan.fileExpires()) {
            throw new NotReadyException(plan.master() + " holds " + total + " keys after the restore; the backup has "
                    + plan.fileKeys());
        }
        Map<String, Long> replicas = replicasHolding(plan, total, Await.deadline(timeout));
        return new Done(plan, keys, replicas, (System.nanoTime() - started) / 1e9);
    }

    /** Waits until every replica holds as many keys as the master; returns each one's count. */
    private Map<String, Long> replicasHolding(Plan plan, long total, long deadline) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Poll<Void> done = Await.quietly().until(deadline, () -> {
            List<String> short_ = new ArrayList<>();
            for (Node n : cluster.deployment().redisNodes()) {
                if (n.name().equals(plan.master()) || !n.isRunning()) {
                    continue;
                }
                long held = Info.total(keys(n));
                counts.put(n.name(), held);
                if (held != total) {
                    short_.add(n.name() + " holds " + held + " of " + total + " keys");
                }
            }
            return Poll.unless(short_.isEmpty() ? null : String.join(", ", short_));
        });
        if (!done.done()) {
            throw new NotReadyException("after the restore " + done.missing());
        }
        return counts;
    }

    private void setDownAfter(List<Node> sentinels, String millis) {
        for (Node s : sentinels) {
            try (Jedis jedis = cluster.redis().sentinel(s.nameAddress())) {
                jedis.sentinelSet(cluster.redis().masterName(), Map.of("down-after-milliseconds", millis));
            } catch (JedisException e) {
                throw new BackupException(BackupException.Kind.REFUSED, "could not set down-after-milliseconds on "
                        + s.name() + ": " + e.getMessage() + " (redisha up sets it back)", e);
            }
        }
    }

    /**
     * The restarted master came back with a new address (a new Swarm task), which no Sentinel or replica
     * knows: each Sentinel forgets the old one and monitors the new one, with the topology's settings
     * (and the hour's wait while the restore lasts), and each replica follows it. The Sentinels find
     * the replicas and each other again within seconds (the master's INFO, their hello messages).
     */
    private void followNewAddress(Node master, List<Node> sentinels) {
        Node now = cluster.refresh().named(master.name()).orElseThrow();
        String ip = now.networkIp();
        if (ip == null) {
            throw new NotReadyException(master.name() + " has no address on the network after its restart");
        }
        String name = cluster.redis().masterName();
        int port = master.service().port();
        Map<String, String> settings = new LinkedHashMap<>(cluster.settings().sentinelRuntime());
        settings.remove("quorum");
        settings.put("down-after-milliseconds", LOADING_DOWN_AFTER);
        settings.putAll(cluster.settings().sentinelAuth());
        for (Node s : sentinels) {
            try (Jedis jedis = cluster.redis().sentinel(cluster.refresh().named(s.name()).orElseThrow().nameAddress())) {
                if (ip.equals(jedis.sentinelMaster(name).get("ip"))) {
                    continue;
                }
                progress.step(s.name() + ": monitoring " + master.name() + " at its new address " + ip);
                jedis.sentinelRemove(name);
                jedis.sentinelMonitor(name, ip, port, cluster.topology().sentinels().quorum());
                jedis.sentinelSet(name, settings);
            } catch (JedisException e) {
                throw new NotReadyException("could not tell " + s.name() + " the new address of " + master.name() + ": "
                        + e.getMessage());
            }
        }
        for (Node r : cluster.refresh().redisNodes()) {
            if (r.name().equals(master.name()) || !r.isRunning()) {
                continue;
            }
            try (Jedis jedis = cluster.redis().redis(r.nameAddress())) {
                jedis.replicaof(ip, port);
                jedis.configRewrite();
            } catch (JedisException e) {
                throw new NotReadyException("could not point " + r.name() + " at " + master.name() + "'s new address: "
                        + e.getMessage());
            }
        }
    }

    /** CONFIG SET appendonly, written to the node's configuration file (CONFIG REWRITE) so that a restart keeps it. */
    private void appendOnly(Node node, boolean on) {
        try (Jedis jedis = cluster.redis().redis(cluster.refresh().named(node.name()).orElseThrow().nameAddress())) {
            jedis.configSet("appendonly", on ? "yes" : "no");
            jedis.configRewrite();
        } catch (JedisException e) {
            throw new BackupException(BackupException.Kind.REFUSED, "could not turn the append-only file of " + node.name()
                    + (on ? " on: " : " off: ") + e.getMessage(), e);
        }
    }

    /**
     * Turns the append-only file on again over the loaded data: the server writes a new one from its
     * memory (a rewrite), which replaces the old file's history; waits for it, then writes the setting.
     */
    private void rewriteAppendOnly(Node master, long deadline) {
        progress.step("writing the append-only file of " + master.name() + " from the restored data");
        Endpoint address = cluster.refresh().named(master.name()).orElseThrow().nameAddress();
        try (Jedis jedis = cluster.redis().redis(address)) {
            jedis.configSet("appendonly", "yes");
            Poll<Void> written = Await.quietly().until(deadline, () -> {
                Map<String, String> info = Info.fields(jedis.info("persistence"));
                return Poll.unless("1".equals(info.get("aof_rewrite_in_progress"))
                        || "1".equals(info.get("aof_rewrite_scheduled")) || !"1".equals(info.get("aof_enabled"))
                        ? "the append-only file of " + master.name() + " being written" : null);
            });
            if (!written.done()) {
                throw new NotReadyException(written.missing() + " for too long");
            }
            String status = Info.fields(jedis.info("persistence")).get("aof_last_bgrewrite_status");
            if (!"ok".equals(status)) {
                throw new NotReadyException("writing the append-only file of " + master.name() + " failed "
                        + "(aof_last_bgrewrite_status:" + status + "); see redisha logs");
            }
            jedis.configRewrite();
        } catch (JedisException e) {
            throw new NotReadyException("could not turn the append-only file of " + master.name() + " on again: "
                    + e.getMessage());
        }
    }

    /** After a failed restore: the append-only file on again if the master answers, else said how to. */
    private void appendOnlyBack(Node master) {
        try {
            appendOnly(master, true);
        } catch (RuntimeException e) {
            progress.step("warning: " + master.name() + " runs with appendonly no (" + e.getMessage()
                    + "); redisha cli master CONFIG SET appendonly yes, then CONFIG REWRITE, turns it on again");
        }
    }

    /** Waits until the restarted master answers, has loaded its data and is a master. */
    private void awaitLoaded(Node master, long deadline) {
        Poll<Void> loaded = Await.quietly().until(deadline, () -> {
            try (Jedis jedis = cluster.redis().redis(cluster.refresh().named(master.name()).orElseThrow().nameAddress())) {
                Map<String, String> info = Info.fields(jedis.info("persistence"));
                if (!"0".equals(info.get("loading"))) {
                    return Poll.waiting(master.name() + " loading");
                }
                return Poll.unless(jedis.info("replication").contains("role:master") ? null
                        : master.name() + " is not a master");
            } catch (JedisException e) {
                return Poll.waiting(master.name() + " not answering: " + e.getMessage());
            }
        });
        if (!loaded.done()) {
            throw new NotReadyException(master.name() + " did not load the backup in time: " + loaded.missing(),
                    cluster.backend().logs(master, 20));
        }
    }

    private String dataFile(Node node) {
        try (Jedis jedis = cluster.redis().redis(node.nameAddress())) {
            String dir = jedis.configGet("dir").get("dir");
            String name = jedis.configGet("dbfilename").get("dbfilename");
            return dir.endsWith("/") ? dir + name : dir + "/" + name;
        }
    }

    private Map<String, Long> keys(Node node) {
        try (Jedis jedis = cluster.redis().redis(node.nameAddress())) {
            return Info.keysPerDb(jedis.info("keyspace"));
        }
    }
}
