package io.redisha.topology;

import java.util.List;

/**
 * The replica service.
 *
 * @param hostPorts entry i fixes the host port of replica i+1; may be shorter than count
 */
public record Replicas(int count, List<Integer> hostPorts) {

  public static final int DEFAULT_COUNT = 2;

  public Replicas {
    hostPorts = hostPorts == null ? List.of() : List.copyOf(hostPorts);
  }

  public static Replicas defaults() {
    return new Replicas(DEFAULT_COUNT, List.of());
  }

  /** The fixed host port of replica {@code index1Based}, or null when it is ephemeral. */
  public Integer hostPort(int index1Based) {
    return HostPorts.get(hostPorts, index1Based);
  }
}
