package io.redisha.backend;

import java.util.List;

/** Names of a project's objects. Objects are found by label; names are for people and DNS. */
public final class Naming {
    /** The DNS alias of the master service's node, which a fresh Sentinel config monitors. */
    public static final String MASTER_ALIAS = "redis-master";
    /** Where Redis keeps its data and redisha its config files, in the official image and the local one. */
    public static final String DATA_DIR = "/data";
    public static final String REDIS_CONFIG_PATH = DATA_DIR + "/redis.conf";
    public static final String SENTINEL_CONFIG_PATH = DATA_DIR + "/sentinel.conf";
    /** A node's TLS files: its certificate, its key and the CA certificates it trusts. */
    public static final String TLS_CERT_PATH = DATA_DIR + "/tls/node.crt";
    public static final String TLS_KEY_PATH = DATA_DIR + "/tls/node.key";
    public static final String TLS_CA_PATH = DATA_DIR + "/tls/ca.crt";

    private Naming() {
    }

    public static String container(String project, Service service, int index) {
        return project + "-" + service.label() + "-" + index;
    }

    /** The network aliases a node of the service carries besides its name. */
    public static List<String> aliases(Service service) {
        return service == Service.MASTER ? List.of(MASTER_ALIAS) : List.of();
    }

    /** The named volume holding a Redis node's data directory when persistence is on. */
    public static String dataVolume(String nodeName) {
        return nodeName + "-data";
    }

    public static String network(String project) {
        return project + "-net";
    }

    /** The network a partitioned node is moved to, so that its published port still reaches it. */
    public static String partitionNetwork(String project) {
        return project + "-partition";
    }

    public static String sentinelImage(String project) {
        return "redisha/sentinel:" + project;
    }
}
