package io.redisha.cli;

import io.redisha.cluster.Cluster;
import io.redisha.cluster.Progress;
import io.redisha.docker.DockerEngine;
import io.redisha.sentinel.SentinelContext;
import io.redisha.topology.LoadedTopology;

import java.io.PrintWriter;

/** What every command that touches the engine needs: the loaded topology, the engine, the orchestrator. */
final class Session implements AutoCloseable {
    final LoadedTopology loaded;
    final DockerEngine engine;
    final Cluster cluster;

    private Session(LoadedTopology loaded, DockerEngine engine, Cluster cluster) {
        this.loaded = loaded;
        this.engine = engine;
        this.cluster = cluster;
    }

    /** Loads the topology first, so an invalid file fails before anything touches the engine. */
    static Session open(ProjectOptions project, PrintWriter err) {
        return open(project.load(err), err);
    }

    /** For a topology the command has loaded (and perhaps changed) itself. */
    static Session open(LoadedTopology loaded, PrintWriter err) {
        DockerEngine engine = DockerEngine.connect();
        Cluster cluster = new Cluster(engine, loaded.topology(), SentinelContext.locate(loaded.file()), progress(err));
        return new Session(loaded, engine, cluster);
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
        engine.close();
    }
}
