package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.sentinel.RedisNodes;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The certificates the nodes serve, read from a TLS handshake with each (what clients get, not
 * what a file says), and their renewal in place: a Redis server is given the new files and told to
 * load them ({@code CONFIG SET tls-cert-file}), keeping its connections; a Sentinel, which cannot
 * load them at run time, is restarted in its container with them, one at a time.
 */
final class Certificates {
    private static final int HANDSHAKE_MILLIS = 2000;

    private final Backend backend;
    private final ClusterTls tls;
    private final RedisNodes redis;
    private final Progress progress;
    private final Executor executor;
    /** Reads the nodes again (a restarted node may publish its port elsewhere). */
    private final Runnable refresh;

    Certificates(Backend backend, ClusterTls tls, RedisNodes redis, Progress progress, Executor executor,
                 Runnable refresh) {
        this.refresh = refresh;
        this.backend = backend;
        this.tls = tls;
        this.redis = redis;
        this.progress = progress;
        this.executor = executor;
    }

    /** The certificate each running node serves, asked in parallel; nodes that do not complete a handshake are left out. */
    Map<Node, X509Certificate> served(List<Node> nodes) {
        if (!tls.enabled()) {
            return Map.of();
        }
        Map<Node, CompletableFuture<X509Certificate>> asked = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (n.isRunning() && n.dial() != null) {
                asked.put(n, CompletableFuture.supplyAsync(() -> {
                    try {
                        return tls.client().served(n.dial().host(), n.dial().port(), HANDSHAKE_MILLIS);
                    } catch (IOException | RuntimeException e) {
                        return null;
                    }
                }, executor));
            }
        }
        Map<Node, X509Certificate> served = new LinkedHashMap<>();
        asked.forEach((n, f) -> {
            X509Certificate c = f.join();
            if (c != null) {
                served.put(n, c);
            }
        });
        return served;
    }

    /** The certificate that expires first, as status shows it; null without TLS or when no node answered. */
    static ClusterStatus.CertificateExpiry soonest(Map<Node, X509Certificate> served, int renewWithinDays, Instant now) {
        return served.entrySet().stream().min(Comparator.comparing(e -> e.getValue().getNotAfter()))
                .map(e -> {
                    Instant notAfter = e.getValue().getNotAfter().toInstant();
                    return new ClusterStatus.CertificateExpiry(e.getKey().name(), notAfter.toString(),
                            Duration.between(now, notAfter).toDays(), renewWithinDays);
                }).orElse(null);
    }

    /** The ids of the running nodes whose certificate expires within {@code tls.renew-within-days}. */
    java.util.Set<String> due(List<Node> nodes) {
        Instant due = Instant.now().plus(Duration.ofDays(tls.settings().renewWithinDays()));
        java.util.Set<String> ids = new java.util.HashSet<>();
        served(nodes).forEach((n, c) -> {
            if (c.getNotAfter().toInstant().isBefore(due)) {
                ids.add(n.id());
            }
        });
        return ids;
    }

    /**
     * Renews, in place, the certificates that expire within {@code tls.renew-within-days}: Redis
     * servers at once, then the Sentinels one at a time, each back and answering before the next.
     *
     * @return the names of the nodes renewed
     */
    List<String> renewDue(List<Node> nodes, long deadline) {
        if (!tls.issues() || !backend.replacesFiles()) {
            // where files cannot be replaced in place (Swarm), the plan replaces the nodes due (NodeSettings#certificatesDue)
            return List.of();
        }
        java.util.Set<String> due = due(nodes);
        List<Node> redisDue = nodes.stream().filter(n -> due.contains(n.id()) && n.service().isRedis()).toList();
        List<Node> sentinelsDue = nodes.stream().filter(n -> due.contains(n.id()) && !n.service().isRedis()).toList();
        List<String> renewed = new ArrayList<>();
        if (!redisDue.isEmpty()) {
            progress.step("renewing the certificates of " + names(redisDue) + " in place (they expire within "
                    + tls.settings().renewWithinDays() + " days)");
            List<CompletableFuture<Void>> running = redisDue.stream()
                    .map(n -> CompletableFuture.runAsync(() -> renewRedis(n), executor)).toList();
            running.forEach(CompletableFuture::join);
            redisDue.forEach(n -> renewed.add(n.name()));
        }
        for (Node s : sentinelsDue) {
            progress.step("renewing the certificate of " + s.name() + ": restarting it with the new one (a Sentinel"
                    + " loads certificates only when it starts; the others stay up)");
            backend.stop(s);
            backend.startWith(s, files(s));
            refresh.run();
            awaitAnswering(s, deadline);
            renewed.add(s.name());
        }
        return renewed;
    }

    private void renewRedis(Node n) {
        backend.replaceFiles(n, files(n));
        try (Jedis jedis = redis.redis(n.nameAddress())) {
            // the same paths: the server reads the files again and serves the new certificate to new connections
            jedis.configSet("tls-cert-file", Naming.TLS_CERT_PATH, "tls-key-file", Naming.TLS_KEY_PATH);
        }
    }

    /** A new certificate and its key for the node (the CA file stays as it is). */
    private Map<String, byte[]> files(Node n) {
        List<String> names = new ArrayList<>(List.of(n.name()));
        names.addAll(Naming.aliases(n.service()));
        Map<String, byte[]> files = new LinkedHashMap<>(tls.nodeFiles(n.name(), names,
                n.networkIp() == null ? List.of() : List.of(n.networkIp())));
        files.remove(Naming.TLS_CA_PATH);
        return files;
    }

    /** Until the restarted Sentinel answers over TLS again, with its new certificate. */
    private void awaitAnswering(Node s, long deadline) {
        Poll<Void> poll = Await.quietly().every(Duration.ofMillis(100)).until(deadline, () -> {
            try (Jedis jedis = redis.sentinel(s.nameAddress())) {
                return Poll.unless("PONG".equals(jedis.ping()) ? null : "no PONG");
            } catch (JedisException e) {
                return Poll.waiting(e.getMessage());
            }
        });
        if (!poll.done()) {
            throw new NotReadyException(s.name() + " did not answer after its restart with a new certificate: " + poll.missing());
        }
    }

    private static String names(List<Node> nodes) {
        return String.join(", ", nodes.stream().map(Node::name).toList());
    }
}
