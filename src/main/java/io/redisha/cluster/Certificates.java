package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.Naming;
import io.redisha.backend.Node;
import io.redisha.backend.Snapshots;
import io.redisha.sentinel.RedisNodes;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    Set<String> due(List<Node> nodes) {
        Instant due = Instant.now().plus(Duration.ofDays(tls.settings().renewWithinDays()));
        Set<String> ids = new HashSet<>();
        served(nodes).forEach((n, c) -> {
            if (c.getNotAfter().toInstant().isBefore(due)) {
                ids.add(n.id());
            }
        });
        return ids;
    }

    /**
     * Renews, in place, the certificates that expire within {@code tls.renew-within-days} (and with
     * {@code reissueAll}, every one the current CA did not issue), and gives every node the CA file the
     * topology's trust calls for. Trust first, everywhere, then certificates: a node never serves a
     * certificate another node does not trust yet. Redis servers at once, the Sentinels one at a time,
     * each back and answering before the next.
     *
     * @return the names of the nodes changed
     * @throws ChangeRefusedException (nothing changed) when the new trust would leave a node's certificate untrusted
     */
    List<String> converge(List<Node> nodes, long deadline, boolean reissueAll) {
        if (!tls.enabled() || !backend.replacesFiles()) {
            // where files cannot be replaced in place (Swarm), the plan replaces the nodes due (NodeSettings#certificatesDue)
            return List.of();
        }
        List<Node> running = nodes.stream().filter(Node::isRunning).toList();
        Map<Node, X509Certificate> served = served(running);
        Set<String> untrusting = untrusting(running);
        if (!untrusting.isEmpty()) {
            for (Node n : running) {
                X509Certificate c = served.get(n);
                if (c == null || !tls.chainsToTrusted(c)) {
                    throw new ChangeRefusedException(n.name() + " serves a certificate from a CA that the CA file no longer"
                            + " holds (or did not answer a TLS handshake): keep that CA in the file until `redisha up"
                            + " --rotate-ca` has given every node a certificate from the new one; nothing was changed");
                }
            }
        }
        Instant dueBefore = Instant.now().plus(Duration.ofDays(tls.settings().renewWithinDays()));
        Set<String> reissue = new HashSet<>();
        if (tls.issues()) {
            served.forEach((n, c) -> {
                if (c.getNotAfter().toInstant().isBefore(dueBefore) || (reissueAll && !tls.issuedByCurrentCa(c))) {
                    reissue.add(n.id());
                }
            });
        }
        List<String> changed = new ArrayList<>();
        if (!untrusting.isEmpty()) {
            progress.step("giving " + names(running, untrusting) + " the CA file the topology trusts now ("
                    + tls.trusted().size() + (tls.trusted().size() == 1 ? " CA)" : " CAs)"));
            changed.addAll(apply(running, untrusting, true, deadline));
        }
        if (!reissue.isEmpty()) {
            progress.step("new certificates for " + names(running, reissue) + " in place, from "
                    + tls.caCertificate().getSubjectX500Principal().getName()
                    + (reissueAll ? "" : " (they expire within " + tls.settings().renewWithinDays() + " days)"));
            changed.addAll(apply(running, reissue, false, deadline));
        }
        return changed.stream().distinct().toList();
    }

    /** The running nodes whose CA file is not the one the topology's trust calls for, by id. */
    private Set<String> untrusting(List<Node> running) {
        Snapshots files = backend.snapshots().orElse(null);
        if (files == null) {
            return Set.of();
        }
        byte[] wanted = tls.trustedPem();
        Map<Node, CompletableFuture<Boolean>> differs = new LinkedHashMap<>();
        for (Node n : running) {
            differs.put(n, CompletableFuture.supplyAsync(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                files.copyOut(n, Naming.TLS_CA_PATH, out, copied -> { });
                return !Arrays.equals(out.toByteArray(), wanted);
            }, executor));
        }
        Set<String> ids = new HashSet<>();
        differs.forEach((n, f) -> {
            if (f.join()) {
                ids.add(n.id());
            }
        });
        return ids;
    }

    /** The CA file ({@code trust}) or a new certificate for the chosen nodes: Redis servers at once, then Sentinels one by one. */
    private List<String> apply(List<Node> running, Set<String> ids, boolean trust, long deadline) {
        List<Node> chosen = running.stream().filter(n -> ids.contains(n.id())).toList();
        List<CompletableFuture<Void>> redisRuns = chosen.stream().filter(n -> n.service().isRedis())
                .map(n -> CompletableFuture.runAsync(() -> replaceRedis(n, trust), executor)).toList();
        redisRuns.forEach(CompletableFuture::join);
        for (Node s : chosen.stream().filter(n -> !n.service().isRedis()).toList()) {
            progress.step("restarting " + s.name() + " with its new " + (trust ? "CA file" : "certificate")
                    + " (a Sentinel loads them only when it starts; the others stay up)");
            backend.stop(s);
            backend.startWith(s, trust ? Map.of(Naming.TLS_CA_PATH, tls.trustedPem()) : files(s));
            refresh.run();
            awaitAnswering(s, deadline);
        }
        return chosen.stream().map(Node::name).toList();
    }

    private void replaceRedis(Node n, boolean trust) {
        backend.replaceFiles(n, trust ? Map.of(Naming.TLS_CA_PATH, tls.trustedPem()) : files(n));
        try (Jedis jedis = redis.redis(n.nameAddress())) {
            // the same paths: the server reads the files again; new connections get (and are checked against) them
            if (trust) {
                jedis.configSet("tls-ca-cert-file", Naming.TLS_CA_PATH);
            } else {
                jedis.configSet("tls-cert-file", Naming.TLS_CERT_PATH, "tls-key-file", Naming.TLS_KEY_PATH);
            }
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

    private static String names(List<Node> nodes, Set<String> ids) {
        return String.join(", ", nodes.stream().filter(n -> ids.contains(n.id())).map(Node::name).toList());
    }
}
