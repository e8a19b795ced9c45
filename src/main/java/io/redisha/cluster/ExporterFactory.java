package io.redisha.cluster;

import io.redisha.backend.ExporterSpec;
import io.redisha.backend.Naming;
import io.redisha.backend.Service;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.topology.Metrics;
import io.redisha.topology.Secrets;
import io.redisha.topology.Topology;
import io.redisha.topology.Users;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The redis_exporter beside a node ({@code metrics.enabled}): it scrapes its node by name on the
 * deployment's network, logs in from a password file (the exporter's {@code --redis.password-file},
 * a JSON map from the node's address to the password; with ACL users as {@link Users#METRICS}) and speaks TLS with its own client certificate
 * when the deployment does. Nothing secret is on its command line.
 */
final class ExporterFactory {
    static final String DIR = "/etc/redis_exporter";
    static final String PASSWORD_PATH = DIR + "/password.json";
    static final String CERT_PATH = DIR + "/tls/client.crt";
    static final String KEY_PATH = DIR + "/tls/client.key";
    static final String CA_PATH = DIR + "/tls/ca.crt";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Topology topology;
    private final Secrets secrets;
    private final ClusterTls tls;

    ExporterFactory(Topology topology, Secrets secrets, ClusterTls tls) {
        this.topology = topology;
        this.secrets = secrets;
        this.tls = tls;
    }

    /**
     * The exporter of the node, or null when metrics are off.
     *
     * @param index the node's number among its service's (the master's is ignored)
     */
    ExporterSpec exporter(Service service, int index, String nodeName) {
        Metrics metrics = topology.metrics();
        if (!metrics.enabled()) {
            return null;
        }
        String address = (tls.enabled() ? "rediss://" : "redis://") + nodeName + ":" + service.port();
        List<String> cmd = new ArrayList<>();
        cmd.add("--redis.addr=" + address);
        // CONFIG GET * would hand the exporter every password in the node's configuration; INFO has the rest
        cmd.add("--config-command=-");
        Map<String, byte[]> files = new LinkedHashMap<>();
        String password;
        if (topology.auth().hasUsers()) {
            // its own user, allowed what the exporter sends and nothing more (Users.METRICS)
            cmd.add("--redis.user=" + Users.METRICS);
            password = secrets.password(Users.METRICS);
        } else {
            password = service == Service.SENTINEL ? secrets.sentinelPassword() : secrets.redisPassword();
        }
        if (password != null) {
            files.put(PASSWORD_PATH, passwordFile(address, password));
            cmd.add("--redis.password-file=" + PASSWORD_PATH);
        }
        if (tls.enabled()) {
            String name = ExporterSpec.name(nodeName);
            Map<String, byte[]> own = tls.nodeFiles(name, List.of(name), List.of());
            files.put(CERT_PATH, own.get(Naming.TLS_CERT_PATH));
            files.put(KEY_PATH, own.get(Naming.TLS_KEY_PATH));
            files.put(CA_PATH, own.get(Naming.TLS_CA_PATH));
            cmd.add("--tls-client-cert-file=" + CERT_PATH);
            cmd.add("--tls-client-key-file=" + KEY_PATH);
            cmd.add("--tls-ca-cert-file=" + CA_PATH);
        }
        Integer hostPort = metrics.hostPort(topology.platform().isSwarm(), service == Service.SENTINEL,
                service == Service.MASTER ? 0 : index);
        return new ExporterSpec(metrics.image(), cmd, files, Metrics.PORT, hostPort);
    }

    /** The exporter's password file: a JSON object from the address it scrapes to the password. */
    static byte[] passwordFile(String address, String password) {
        try {
            return JSON.writeValueAsString(Map.of(address, password)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the exporter's password file", e);
        }
    }
}
