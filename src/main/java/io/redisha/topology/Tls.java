package io.redisha.topology;

import java.util.List;
import java.util.Locale;

/**
 * TLS on every connection of the deployment. With {@code enabled}, every Redis node and Sentinel
 * listens on its usual port in TLS only ({@code port 0}), replication and Sentinel's own connections
 * use TLS, and redisha's clients do too.
 *
 * <p>Certificates come from one of three places: a CA redisha makes and keeps in {@code dir} (the
 * default), the user's own CA ({@code caCertFile} + {@code caKeyFile}, redisha issuing the node
 * certificates from it), or the user's own certificate for every node ({@code caCertFile} +
 * {@code certFile} + {@code keyFile}), which redisha copies in as it is. Paths are relative to the
 * topology file's directory.
 *
 * @param authClients      whether clients must show a certificate (Redis' {@code tls-auth-clients})
 * @param dir              where redisha keeps the CA it makes and the client certificate it issues
 * @param validityDays     how long a node certificate redisha issues is valid
 * @param renewWithinDays  {@code up} renews node certificates that expire within this many days
 */
public record Tls(boolean enabled, AuthClients authClients, String dir, String caCertFile, String caKeyFile,
                  String certFile, String keyFile, int validityDays, int renewWithinDays) {

    public static final String DEFAULT_DIR = "tls";
    public static final int DEFAULT_VALIDITY_DAYS = 365;
    public static final int DEFAULT_RENEW_WITHIN_DAYS = 30;

    /** Redis' {@code tls-auth-clients}: no, optional or yes (mutual TLS). */
    public enum AuthClients {
        NO, OPTIONAL, YES;

        public static final List<String> WORDS = List.of("no", "optional", "yes");

        /** Redis' own word for it. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Tls {
        authClients = authClients == null ? AuthClients.YES : authClients;
        dir = dir == null ? DEFAULT_DIR : dir;
    }

    public static Tls off() {
        return new Tls(false, AuthClients.YES, DEFAULT_DIR, null, null, null, null, DEFAULT_VALIDITY_DAYS,
                DEFAULT_RENEW_WITHIN_DAYS);
    }

    /** Whether the user brings the certificate of every node (redisha issues none). */
    public boolean ownCertificate() {
        return certFile != null;
    }

    /** Whether the user brings the CA redisha issues from. */
    public boolean ownCa() {
        return caKeyFile != null;
    }
}
