package io.redisha.topology;

import java.util.Objects;

/**
  * What to deploy: one master, {@code replicas.count()} replicas and {@code sentinels.count()}
  * Sentinels of {@code image}, as containers named {@code <project>-<service>-<n>} with ports
  * published on {@code bind}.
  *
  * <p>A record holds whatever it is given; {@link TopologyLoader#validate(Topology)} says whether
  * that makes sense. Everything loaded through {@link TopologyLoader} has been validated.
  *
  * @param auth where the passwords come from; the passwords themselves are {@link Secrets}
  * @param tls  whether every connection uses TLS, and where the certificates come from
  * @param metrics whether a Prometheus exporter runs beside every node
  */
public record Topology(
        String project, String image, String bind, Master master, Replicas replicas, Sentinels sentinels,
        Auth auth, Persistence persistence, Resources resources, Platform platform, Tls tls, Metrics metrics) {

    public static final String DEFAULT_PROJECT = "redisha";
    public static final String DEFAULT_IMAGE = "redis:7";
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final Persistence DEFAULT_PERSISTENCE = Persistence.OFF;

    public Topology {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(replicas, "replicas");
        Objects.requireNonNull(sentinels, "sentinels");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(persistence, "persistence");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** Without metrics. */
    public Topology(String project, String image, String bind, Master master, Replicas replicas,
                    Sentinels sentinels, Auth auth, Persistence persistence, Resources resources, Platform platform, Tls tls) {
        this(project, image, bind, master, replicas, sentinels, auth, persistence, resources, platform, tls, Metrics.off());
    }

    /** Without TLS. */
    public Topology(String project, String image, String bind, Master master, Replicas replicas,
                    Sentinels sentinels, Auth auth, Persistence persistence, Resources resources, Platform platform) {
        this(project, image, bind, master, replicas, sentinels, auth, persistence, resources, platform, Tls.off());
    }

    /** On one Docker engine. */
    public Topology(String project, String image, String bind, Master master, Replicas replicas,
                    Sentinels sentinels, Auth auth, Persistence persistence, Resources resources) {
        this(project, image, bind, master, replicas, sentinels, auth, persistence, resources, Platform.defaults());
    }

    /** No passwords, no persistence, no memory limits. */
    public Topology(
            String project, String image, String bind, Master master, Replicas replicas, Sentinels sentinels) {
        this(project, image, bind, master, replicas, sentinels, Auth.none(), DEFAULT_PERSISTENCE, Resources.defaults());
    }

    public static Topology defaults() {
        return new Topology(
                DEFAULT_PROJECT, DEFAULT_IMAGE, DEFAULT_BIND,
                Master.defaults(), Replicas.defaults(), Sentinels.defaults());
    }

    /** A copy with another replica count; host ports and priorities are kept, so validate the result. */
    public Topology withReplicaCount(int count) {
        return new Topology(project, image, bind, master,
                new Replicas(count, replicas.hostPorts(), replicas.priorities()), sentinels, auth, persistence, resources, platform, tls, metrics);
    }

    /** A copy with another Sentinel count; quorum and host ports are kept, so validate the result. */
    public Topology withSentinelCount(int count) {
        Sentinels s = sentinels;
        return new Topology(project, image, bind, master, replicas,
                new Sentinels(count, s.quorum(), s.masterName(), s.downAfterMillis(),
                        s.failoverTimeoutMillis(), s.parallelSyncs(), s.hostPorts()),
                auth, persistence, resources, platform, tls, metrics);
    }
}
