package io.redisha.sentinel;

import io.redisha.backend.Endpoint;

/** How the orchestrator asks a node what it is: through Jedis ({@link RedisNodes}), or a model in unit tests. */
public interface Probe {
    /**
     * {@code INFO replication} of the Redis server at the network address.
     *
     * @throws RuntimeException with a message saying why, when it cannot be asked
     */
    ReplicationInfo replication(Endpoint networkAddress);

    /** Everything one Sentinel says about the master; never throws for an unreachable Sentinel. */
    SentinelView sentinelView(Endpoint networkAddress);
}
