package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.topology.PasswordSources;
import io.redisha.topology.Topology;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What an application outside the deployment's network needs to reach it through Sentinel: the
 * Sentinels it can dial, the master name, and the translation of every address Sentinel or Redis
 * hands out (address, container name or alias on the deployment's network) to one it can dial.
 * Where the passwords are, never the passwords.
 *
 * @param sentinels        dialable "host:port" of each running Sentinel
 * @param addressMap       "host:port" handed out to dialable "host:port", sorted
 * @param redisPassword    where the Redis password is, or null when there is none
 * @param sentinelPassword where Sentinel's own password is, or null when there is none
 * @param tls              what a client connects with when the deployment speaks TLS, or null for plaintext
 */
public record ClientAccess(String project, String masterName, List<String> sentinels, Map<String, String> addressMap,
                           PasswordSource redisPassword, PasswordSource sentinelPassword, TlsFiles tls) {

    /**
     * Where a client finds the CA certificate to trust and, when the nodes ask for one, the client
     * certificate and its key (files, never their content).
     *
     * @param authClients whether the nodes ask clients for a certificate: no, optional or yes
     */
    public record TlsFiles(String caCertificate, String clientCertificate, String clientKey, String authClients) {
        static TlsFiles of(ClusterTls tls) {
            if (tls == null || !tls.enabled()) {
                return null;
            }
            ClusterTls.ClientFiles f = tls.files();
            return new TlsFiles(f.caCertificate().toAbsolutePath().toString(),
                    f.clientCertificate() == null ? null : f.clientCertificate().toAbsolutePath().toString(),
                    f.clientKey() == null ? null : f.clientKey().toAbsolutePath().toString(),
                    tls.settings().authClients().word());
        }
    }

    /**
     * An environment variable's name or a file's absolute path; one of them is null.
     *
     * @param user with ACL users ({@code auth.users}), the user to log in as with that password; else null
     */
    public record PasswordSource(String env, String file,
                                 @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                                 String user) {
        public PasswordSource(String env, String file) {
            this(env, file, null);
        }

        static PasswordSource of(String env, Path file, String user) {
            return env == null && file == null ? null : new PasswordSource(env, file == null ? null : file.toString(), user);
        }
    }

    public static ClientAccess of(Deployment deployment, Topology topology, PasswordSources passwords, ClusterTls tls) {
        List<String> sentinels = deployment.sentinels().stream().filter(Node::isRunning)
                .filter(s -> s.dial() != null).map(s -> s.dial().toString()).toList();
        Map<String, String> map = deployment.dialTable().entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().toString(), (a, b) -> a, TreeMap::new));
        return new ClientAccess(deployment.project(), topology.sentinels().masterName(), sentinels, map,
                PasswordSource.of(passwords.redisEnv(), passwords.redisFile(), passwords.redisUser()),
                PasswordSource.of(passwords.sentinelEnv(), passwords.sentinelFile(), passwords.sentinelUser()), TlsFiles.of(tls));
    }

    /**
     * The same as environment variables: REDISHA_SENTINELS ("host:port,host:port"), REDISHA_MASTER_NAME,
     * REDISHA_ADDRESS_MAP ("from=to,from=to"), REDISHA_PROJECT, and for each password that is set
     * REDISHA_PASSWORD_ENV or REDISHA_PASSWORD_FILE (likewise REDISHA_SENTINEL_PASSWORD_*), with ACL users
     * also REDISHA_USER and REDISHA_SENTINEL_USER (the names to log in as); with TLS,
     * REDISHA_TLS=yes, REDISHA_TLS_CA_FILE and, when the nodes ask clients for a certificate,
     * REDISHA_TLS_CERT_FILE and REDISHA_TLS_KEY_FILE (paths, never a key).
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDISHA_PROJECT", project);
        env.put("REDISHA_MASTER_NAME", masterName);
        env.put("REDISHA_SENTINELS", String.join(",", sentinels));
        env.put("REDISHA_ADDRESS_MAP", addressMap.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",")));
        password(env, "REDISHA_PASSWORD", redisPassword);
        password(env, "REDISHA_SENTINEL_PASSWORD", sentinelPassword);
        if (tls != null) {
            env.put("REDISHA_TLS", "yes");
            env.put("REDISHA_TLS_CA_FILE", tls.caCertificate());
            if (tls.clientCertificate() != null) {
                env.put("REDISHA_TLS_CERT_FILE", tls.clientCertificate());
                env.put("REDISHA_TLS_KEY_FILE", tls.clientKey());
            }
        }
        return env;
    }

    private static void password(Map<String, String> env, String prefix, PasswordSource source) {
        if (source == null) {
            return;
        }
        if (source.user() != null) {
            env.put(prefix.replace("PASSWORD", "USER"), source.user());
        }
        if (source.env() != null) {
            env.put(prefix + "_ENV", source.env());
        }
        if (source.file() != null) {
            env.put(prefix + "_FILE", source.file());
        }
    }
}
