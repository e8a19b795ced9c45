package io.redisha.backend;

import java.util.List;
import java.util.Optional;

/**
 * What a backend offers that spreads the nodes over several hosts (a Swarm): a deployment must
 * survive the loss of any one of them, and a host that is down or drained is worth saying.
 */
public interface Hosts {

    /**
     * Why the hosts cannot take this many Redis servers and Sentinels so that the deployment survives
     * the loss of any one host; empty when they can. Asked before anything is created.
     */
    Optional<String> placementProblem(int redisServers, int sentinels, int quorum);

    /** Hosts of the project's nodes that cannot run them now ("host lab-host-2 is down"). */
    List<String> hostProblems();
}
