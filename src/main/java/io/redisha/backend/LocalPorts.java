package io.redisha.backend;

/**
 * What a backend offers whose engine publishes the nodes' ports on this machine: whether a port is
 * free can then be checked here before anything is created. On a Swarm the ports are published on
 * the hosts, and its scheduler keeps two tasks off one host port.
 */
public interface LocalPorts {

    /** Whether a fixed port can be published on the bind address. */
    boolean hostPortFree(String bind, int port);
}
