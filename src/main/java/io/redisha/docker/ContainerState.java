package io.redisha.docker;

import java.util.Locale;

/** Docker's container states, as redisha reports them. */
public enum ContainerState {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD, UNKNOWN;

    public static ContainerState of(String dockerState) {
        if (dockerState == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(dockerState.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
