package io.redisha.backend;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Programs the shell tests need; a missing one fails the test with how to install it, never skips it. */
public final class ShellTools {
    private ShellTools() {
    }

    /** The absolute path of {@code program} on PATH (Debian package of the same name, which scripts/setup installs). */
    public static String required(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return p.toAbsolutePath().toString();
            }
        }
        return fail(program + " is not installed (not on PATH): apt-get install " + program
                + " (scripts/setup installs it)");
    }
}
