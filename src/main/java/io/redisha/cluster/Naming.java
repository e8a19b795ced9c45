package io.redisha.cluster;

import io.redisha.docker.Service;

/** Names of the Docker objects of a project. Objects are found by label; names are for people and DNS. */
public final class Naming {
    /** The DNS alias of the master service's container, which a fresh Sentinel config monitors. */
    public static final String MASTER_ALIAS = "redis-master";
    public static final String REDIS_CONFIG_PATH = "/data/redis.conf";
    public static final String SENTINEL_CONFIG_PATH = "/data/sentinel.conf";

    private Naming() {
    }

    public static String container(String project, Service service, int index) {
        return project + "-" + service.label() + "-" + index;
    }

    /** The named volume holding a Redis node's /data when persistence is on. */
    public static String dataVolume(String containerName) {
        return containerName + "-data";
    }

    public static String network(String project) {
        return project + "-net";
    }

    public static String sentinelImage(String project) {
        return "redisha/sentinel:" + project;
    }
}
