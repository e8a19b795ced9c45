package io.redisha.backend;

import java.time.Instant;

/**
 * How often, and when last, a node's process was started, as its engine counts it.
 *
 * @param restarts   starts by the engine's restart policy since the node was last started by hand
 *                   (created, {@code up}, a fault healed); the engine resets it then
 * @param created    when the node was created
 * @param lastStart  when its process last started, or null when it never ran
 * @param lastExit   exit code of its last process, or null when it never exited
 * @param oomKilled  whether its last process was ended by the kernel's out-of-memory killer
 */
public record NodeStarts(String name, int restarts, Instant created, Instant lastStart, Integer lastExit,
                         boolean oomKilled) {
}
