package io.redisha.cluster;

/**
 * When a node's process last started, and how often its engine started it again by itself.
 *
 * @param restarts          starts by the engine's restart policy since the node was last started by hand
 * @param lastStart         ISO-8601 time of its process's last start, or null when it never ran
 * @param secondsSinceStart seconds since then, or null
 * @param lastExit          exit code of its last process while it is not running, or null
 * @param oomKilled         whether the out-of-memory killer ended its last process
 * @param crashLoop         whether it keeps restarting
 */
public record NodeStart(String name, int restarts, String lastStart, Long secondsSinceStart, Integer lastExit,
                        boolean oomKilled, boolean crashLoop) {

    /** A duration for people: 42s, 7m, 3h, 2d. */
    public static String ago(long seconds) {
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 120 * 60) {
            return seconds / 60 + "m";
        }
        if (seconds < 48 * 3600) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }
}
