package io.redisha.backend;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kinds of node redisha runs; the label value and the port the process listens on. */
public enum Service {
    MASTER("master", 6379),
    REPLICA("replica", 6379),
    SENTINEL("sentinel", 26379);

    private final String label;
    private final int port;

    Service(String label, int port) {
        this.label = label;
        this.port = port;
    }

    public String label() {
        return label;
    }

    public int port() {
        return port;
    }

    public boolean isRedis() {
        return this != SENTINEL;
    }

    public static Optional<Service> fromLabel(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.label.equals(v)).findFirst();
    }
}
