package io.redisha.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A shell program kept as a resource of this package or a sub-package, checked by shellcheck and run by sh in tests. */
public final class ShellScript {
    private ShellScript() {
    }

    /** The text of the resource {@code name}, relative to this package (e.g. {@code swarm/task.sh}). */
    public static String load(String name) {
        try (InputStream in = ShellScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + name + " beside " + ShellScript.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }
}
