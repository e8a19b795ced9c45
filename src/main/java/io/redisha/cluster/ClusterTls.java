package io.redisha.cluster;

import io.redisha.backend.Naming;
import io.redisha.tls.CertificateAuthority;
import io.redisha.tls.ClientTls;
import io.redisha.tls.Issued;
import io.redisha.tls.Pem;
import io.redisha.tls.TlsException;
import io.redisha.topology.LoadedTopology;
import io.redisha.topology.Platform;
import io.redisha.topology.Tls;
import io.redisha.topology.TopologyLoader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS material of a deployment: where node certificates come from (the CA redisha keeps in
 * {@code tls.dir}, the user's CA, or the user's own certificate), the client certificate redisha and
 * its users connect with, and the trust every client of redisha needs. Nothing of it is a label, an
 * argument or a log line: keys reach the nodes as files copied in, readable by their owner only.
 */
public final class ClusterTls {
    private static final ClusterTls NONE = new ClusterTls(null, null, null, null, List.of(), null, null, List.of());
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final Tls tls;
    private final Path dir;
    /** The CA node certificates are issued from; it changes when {@link #beginCaRotation} makes a new one. */
    private volatile CertificateAuthority ca;
    private final Issued own;
    /** Every CA the nodes trust (the CA file's certificates, the issuing one first): two while a CA is replaced. */
    private volatile List<X509Certificate> trusted;
    private final ClientTls client;
    /** The CA certificate's file, the client certificate's and its key's. */
    private final ClientFiles files;
    /** What clients outside the network dial besides 127.0.0.1 (on Swarm, the hosts of swarm.dial): names and addresses. */
    private final List<String> dialed;

    /** Where a client finds the CA certificate, and the client certificate and key (null when clients show none). */
    public record ClientFiles(Path caCertificate, Path clientCertificate, Path clientKey) {
    }

    private ClusterTls(Tls tls, Path dir, CertificateAuthority ca, Issued own, List<X509Certificate> trusted,
                       ClientTls client, ClientFiles files, List<String> dialed) {
        this.files = files;
        this.dialed = dialed;
        this.tls = tls;
        this.dir = dir;
        this.ca = ca;
        this.own = own;
        this.trusted = List.copyOf(trusted);
        this.client = client;
    }

    /** Plaintext: no TLS anywhere. */
    public static ClusterTls none() {
        return NONE;
    }

    /**
     * The material the topology's {@code tls} section names; the CA and the client certificate
     * redisha keeps in {@code tls.dir} are made on first use.
     *
     * @throws TlsException when a file is missing, unreadable or does not fit, naming it
     */
    public static ClusterTls open(LoadedTopology loaded) {
        Tls tls = loaded.topology().tls();
        if (!tls.enabled()) {
            return NONE;
        }
        Path dir = TopologyLoader.resolve(loaded, tls.dir()).resolve(loaded.topology().project());
        CertificateAuthority ca = null;
        Issued own = null;
        Path caFile = dir.resolve("ca.crt");
        Path clientCert = dir.resolve("client.crt");
        Path clientKey = dir.resolve("client.key");
        if (tls.ownCertificate()) {
            caFile = existing(loaded, tls.caCertFile(), "tls.ca-cert-file");
            clientCert = existing(loaded, tls.certFile(), "tls.cert-file");
            clientKey = existing(loaded, tls.keyFile(), "tls.key-file");
            own = Pem.load(clientCert, clientKey);
        } else if (tls.ownCa()) {
            caFile = existing(loaded, tls.caCertFile(), "tls.ca-cert-file");
            ca = CertificateAuthority.load(caFile, existing(loaded, tls.caKeyFile(), "tls.ca-key-file"));
        } else {
            ca = CertificateAuthority.openOrCreate(dir, loaded.topology().project());
        }
        // every CA of the file: while one CA replaces another, both are trusted
        List<X509Certificate> trusted = Pem.readCertificates(caFile);
        Issued clientCertificate = own != null ? own : clientCertificate(dir, ca, tls);
        boolean showsCertificate = tls.authClients() != Tls.AuthClients.NO;
        return new ClusterTls(tls, dir, ca, own, trusted,
                ClientTls.of(trusted, showsCertificate ? clientCertificate : null),
                new ClientFiles(caFile, showsCertificate ? clientCert : null, showsCertificate ? clientKey : null),
                dialed(loaded.topology().platform()));
    }

    /** On Swarm, the hosts clients dial: each swarm.dial hostname and the address it maps to. */
    private static List<String> dialed(Platform platform) {
        if (!platform.isSwarm()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        platform.dial().forEach((host, to) -> {
            names.add(host);
            int plus = to.indexOf('+');
            names.add(plus < 0 ? to : to.substring(0, plus));
        });
        return List.copyOf(names);
    }

    private static Path existing(LoadedTopology loaded, String file, String field) {
        Path path = TopologyLoader.resolve(loaded, file);
        if (!Files.isRegularFile(path)) {
            throw new TlsException(field + ": no such file " + path);
        }
        return path;
    }

    /** The client certificate in {@code dir}, issued (again) when absent or due for renewal. */
    private static Issued clientCertificate(Path dir, CertificateAuthority ca, Tls tls) {
        Path cert = dir.resolve("client.crt");
        Path key = dir.resolve("client.key");
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            Issued existing = Pem.load(cert, key);
            if (ca.signed(existing.certificate())
                    && existing.notAfter().isAfter(Instant.now().plus(Duration.ofDays(tls.renewWithinDays())))) {
                return existing;
            }
        }
        Issued issued = ca.issue("redisha client", List.of("redisha-client"), List.of(), Duration.ofDays(tls.validityDays()));
        Pem.writePrivate(key, issued.privateKeyPem());
        Pem.writePublic(cert, issued.certificatePem());
        return issued;
    }

    public boolean enabled() {
        return tls != null;
    }

    /** What redisha's own clients connect with; null without TLS. */
    public ClientTls client() {
        return client;
    }

    /** The files a client connects with; null without TLS. */
    public ClientFiles files() {
        return files;
    }

    /** The directory of the CA and client certificate redisha keeps; null without TLS. */
    public Path dir() {
        return dir;
    }

    /** The settings the topology gives. */
    public Tls settings() {
        return tls;
    }

    /** The CA that issues node certificates: the first of the trusted ones; null without TLS. */
    public X509Certificate caCertificate() {
        List<X509Certificate> all = trusted;
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * The TLS lines of a Redis node's or Sentinel's configuration: TLS only, on the usual port.
     *
     * @param port the port the node listens on
     */
    List<String> directives(int port) {
        if (!enabled()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add("port 0");
        lines.add("tls-port " + port);
        lines.add("tls-cert-file " + Naming.TLS_CERT_PATH);
        lines.add("tls-key-file " + Naming.TLS_KEY_PATH);
        lines.add("tls-ca-cert-file " + Naming.TLS_CA_PATH);
        lines.add("tls-auth-clients " + tls.authClients().word());
        lines.add("tls-replication yes");
        return lines;
    }

    /**
     * A node's TLS files, by path in its container: a certificate issued now for the names and
     * addresses clients dial (or the user's own), its key, the CA; empty without TLS.
     */
    Map<String, byte[]> nodeFiles(String name, List<String> dnsNames, List<String> addresses) {
        if (!enabled()) {
            return Map.of();
        }
        Issued cert = own != null ? own : issue(name, dnsNames, addresses);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(Naming.TLS_CERT_PATH, cert.certificatePem().getBytes(StandardCharsets.UTF_8));
        files.put(Naming.TLS_KEY_PATH, cert.privateKeyPem().getBytes(StandardCharsets.UTF_8));
        files.put(Naming.TLS_CA_PATH, trustedPem());
        return files;
    }

    /** The CA file every node has: each trusted CA's certificate, the issuing one first. */
    byte[] trustedPem() {
        StringBuilder pem = new StringBuilder();
        trusted.forEach(c -> pem.append(Pem.certificate(c)));
        return pem.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Every CA the nodes are to trust, the issuing one first. */
    public List<X509Certificate> trusted() {
        return trusted;
    }

    /** Whether one of the trusted CAs signed the certificate. */
    boolean chainsToTrusted(X509Certificate served) {
        return trusted.stream().anyMatch(c -> CertificateAuthority.signedBy(served, c));
    }

    /** Whether the CA that issues node certificates now signed this one. */
    boolean issuedByCurrentCa(X509Certificate served) {
        return ca != null && ca.signed(served);
    }

    /** Whether redisha makes and keeps the CA itself (in {@code tls.dir}), rather than the user bringing it. */
    public boolean keepsCa() {
        return ca != null && !tls.ownCa();
    }

    /** Whether the nodes trust more than one CA: a new CA is replacing an old one. */
    public boolean replacingCa() {
        return trusted.size() > 1;
    }

    /**
     * Makes a new CA in {@code tls.dir}, trusted beside the old ones (the CA file holds both, the new
     * first), and a new client certificate from it; node certificates stay as they are.
     */
    void beginCaRotation(String project) {
        CertificateAuthority made = CertificateAuthority.rotate(dir, project);
        List<X509Certificate> all = Pem.readCertificates(dir.resolve(CertificateAuthority.CERTIFICATE_FILE));
        ca = made;
        trusted = List.copyOf(all);
        clientCertificate(dir, made, tls);
    }

    /** The CA file keeps only the CA that issues certificates now: the others are no longer trusted. */
    void retireOldCas() {
        Pem.writePublic(dir.resolve(CertificateAuthority.CERTIFICATE_FILE), Pem.certificate(ca.certificate()));
        trusted = List.of(ca.certificate());
    }

    private Issued issue(String name, List<String> dnsNames, List<String> addresses) {
        List<String> dns = new ArrayList<>(dnsNames);
        dns.add("localhost");
        List<String> ips = new ArrayList<>(addresses);
        ips.add("127.0.0.1");
        for (String d : dialed) {
            (IPV4.matcher(d).matches() ? ips : dns).add(d);
        }
        return ca.issue(name, dns, ips, Duration.ofDays(tls.validityDays()));
    }

    /** Whether redisha issues the node certificates (and may renew them). */
    boolean issues() {
        return enabled() && own == null;
    }
}
