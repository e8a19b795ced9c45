package io.redisha.cli;

import io.redisha.backend.Backend;
import io.redisha.backend.ProjectLock;
import io.redisha.backend.docker.SingleEngineBackend;
import io.redisha.backend.swarm.SwarmBackend;
import io.redisha.topology.Persistence;
import io.redisha.topology.Platform;
import io.redisha.topology.Sentinels;
import io.redisha.topology.Topology;
import io.redisha.cluster.Cluster;
import io.redisha.cluster.ClusterTls;
import io.redisha.tls.TlsException;
import io.redisha.cluster.Progress;
import io.redisha.sentinel.SentinelContext;
import io.redisha.topology.LoadedTopology;
import io.redisha.topology.Secrets;
import io.redisha.topology.Users;
import io.redisha.topology.TopologyException;
import io.redisha.topology.TopologyLoader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * What every command that touches the engine needs: the loaded topology, the backend, the
 * orchestrator. The one place that chooses the backend.
 */
final class Session implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    final LoadedTopology loaded;
    final Backend backend;
    final Cluster cluster;
    /** The passwords the topology names (files, variables), for a command that logs in as a user of its own choosing. */
    final Secrets secrets;
    private final ProjectLock lock;

    private Session(LoadedTopology loaded, Backend backend, Cluster cluster, Secrets secrets, ProjectLock lock) {
        this.loaded = loaded;
        this.backend = backend;
        this.cluster = cluster;
        this.secrets = secrets;
        this.lock = lock;
    }

    /** For commands that only look. Loads the topology first, so an invalid file fails before anything touches the engine. */
    static Session open(ProjectOptions project, PrintWriter err) {
        return open(project.load(err), err, null);
    }

    /**
     * For commands that change the project: also takes the project's lock, so that two commands
     * never interleave; a second one is refused at once (exit 9).
     */
    static Session openExclusive(ProjectOptions project, PrintWriter err, String command) {
        return open(project.load(err), err, command);
    }

    /** As {@link #openExclusive(ProjectOptions, PrintWriter, String)}, for a topology the command loaded (and changed) itself. */
    static Session openExclusive(LoadedTopology loaded, PrintWriter err, String command) {
        return open(loaded, err, command);
    }

    private static Session open(LoadedTopology loaded, PrintWriter err, String lockFor) {
        long start = System.nanoTime();
        Secrets secrets;
        try {
            secrets = TopologyLoader.secrets(loaded, System.getenv());
        } catch (TopologyException e) {
            throw new UserException(ExitCodes.INVALID_TOPOLOGY, e.getMessage(), e);
        }
        ClusterTls tls;
        try {
            tls = ClusterTls.open(loaded);
        } catch (TlsException e) {
            throw new UserException(ExitCodes.INVALID_TOPOLOGY, e.getMessage(), e);
        }
        long connecting = System.nanoTime();
        Backend backend = connect(loaded.topology(), secrets);
        log.debug("secrets and TLS material read in {} ms; then the engine client ready (connected and pinged) in {} ms",
                (connecting - start) / 1_000_000, (System.nanoTime() - connecting) / 1_000_000);
        ProjectLock lock = null;
        try {
            // commands that change the project run from this machine: a lock file here serialises them
            lock = lockFor == null ? null : ProjectLock.acquire(loaded.topology().project(), lockFor, Duration.ZERO);
            Cluster cluster = new Cluster(backend, loaded.topology(), SentinelContext.locate(loaded.file()), progress(err),
                    secrets, tls);
            return new Session(loaded, backend, cluster, secrets, lock);
        } catch (RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            backend.close();
            throw e;
        }
    }

    /** For commands that need a deployment: refuses (exit 6) when nothing of the project exists. */
    void requireDeployed() {
        if (!cluster.exists()) {
            throw new UserException(ExitCodes.REFUSED, "project " + loaded.topology().project()
                    + " is not deployed on " + backend.describe() + " (run redisha up)");
        }
    }

    /** The backend the topology's {@code platform} names. */
    static Backend connect(Topology topology, Secrets secrets) {
        Platform platform = topology.platform();
        Sentinels s = topology.sentinels();
        Duration failover = Duration.ofMillis(s.downAfterMillis() + s.failoverTimeoutMillis());
        // a restarted master with its data (AOF) may start at once; without, it waits for the promotion
        Duration holdBack = topology.persistence() == Persistence.AOF ? Duration.ZERO : failover.plusSeconds(10);
        if (!platform.isSwarm()) {
            return SingleEngineBackend.connect(topology.project(), !topology.master().restartProtection() ? null
                    : topology.auth().hasUsers()
                    ? new SingleEngineBackend.Protection(s.masterName(), s.count(), secrets.password(Users.ADMIN), holdBack,
                            Users.ADMIN)
                    : new SingleEngineBackend.Protection(s.masterName(), s.count(), secrets.sentinelPassword(), holdBack));
        }
        // Swarm restarts a failed task only after Sentinel has had the time to promote a replica (docs/swarm.md)
        Duration restartDelay = failover.plusSeconds(10);
        // with users, a starting Redis task asks the Sentinels as redisha, as on one engine
        boolean users = topology.auth().hasUsers();
        return SwarmBackend.connect(topology.project(), new SwarmBackend.Options(topology.image(), platform.dial(),
                platform.acceptRisk(), restartDelay, s.masterName(), s.count(),
                users ? secrets.password(Users.ADMIN) : secrets.sentinelPassword(), holdBack, platform.engines(),
                users ? Users.ADMIN : null));
    }

    /** Progress lines on stderr, stamped with the seconds since the command started. */
    static Progress progress(PrintWriter err) {
        long start = System.nanoTime();
        return message -> {
            synchronized (err) {
                err.printf("[%5.1fs] %s%n", (System.nanoTime() - start) / 1e9, message);
                err.flush();
            }
        };
    }

    @Override
    public void close() {
        cluster.close();
        if (lock != null) {
            lock.close();
        }
        backend.close();
    }
}
