package io.redisha.backend;

import java.util.Locale;

/** The life-cycle state of a node's process, as a backend reports it. */
public enum NodeState {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD, UNKNOWN;

    /** The state a backend reports by name ("running", "exited"), UNKNOWN for anything else. */
    public static NodeState of(String name) {
        if (name == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
