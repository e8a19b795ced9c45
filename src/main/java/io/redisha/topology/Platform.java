package io.redisha.topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the topology runs: one Docker engine, or a Docker Swarm spread over hosts.
 *
 * @param name       {@code docker} or {@code swarm}
 * @param acceptRisk (swarm) place the nodes even when losing one host would lose the deployment
 * @param dial       (swarm) swarm node hostname to where this machine reaches that host's published
 *                   ports: {@code ADDRESS} (same port) or {@code ADDRESS+OFFSET} (port plus OFFSET);
 *                   a host without an entry is dialled by its hostname
 * @param engines    (swarm) swarm node hostname to that host's own Docker engine (a DOCKER_HOST value), for
 *                   what only that engine holds: the nodes' data volumes
 */
public record Platform(String name, boolean acceptRisk, Map<String, String> dial, Map<String, String> engines) {
    public static final String DOCKER = "docker";
    public static final String SWARM = "swarm";

    public Platform {
        name = name == null ? DOCKER : name;
        dial = dial == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dial));
        engines = engines == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(engines));
    }

    public static Platform defaults() {
        return new Platform(DOCKER, false, Map.of(), Map.of());
    }

    public boolean isSwarm() {
        return SWARM.equals(name);
    }
}
