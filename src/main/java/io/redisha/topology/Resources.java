package io.redisha.topology;

import java.util.List;

/**
  * Memory limits of the Redis containers (master and replicas).
  *
  * @param memoryBytes container memory limit, or null for none
  * @param maxmemoryBytes Redis {@code maxmemory}, or null for none
  * @param maxmemoryPolicy Redis {@code maxmemory-policy}; null means the default
  */
public record Resources(Long memoryBytes, Long maxmemoryBytes, String maxmemoryPolicy) {

    public static final String DEFAULT_MAXMEMORY_POLICY = "noeviction";
    public static final List<String> MAXMEMORY_POLICIES = List.of("noeviction", "allkeys-lru", "allkeys-lfu",
            "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl");

    public Resources {
        maxmemoryPolicy = maxmemoryPolicy == null ? DEFAULT_MAXMEMORY_POLICY : maxmemoryPolicy;
    }

    public static Resources defaults() {
        return new Resources(null, null, DEFAULT_MAXMEMORY_POLICY);
    }
}
