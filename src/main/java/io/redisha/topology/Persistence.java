package io.redisha.topology;

import java.util.Locale;

/** What Redis writes to disk: nothing, RDB snapshots or an append-only file. */
public enum Persistence {
    OFF, RDB, AOF;

    /** How the topology file spells it: {@code off}, {@code rdb}, {@code aof}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
