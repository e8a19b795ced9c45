package io.redisha.it.apps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shell command that starts one of the test applications with this JVM and the test class path. */
public final class Apps {
    private Apps() {
    }

    /** "java @ARGFILE MAIN": the class path travels in a java argument file, so the report shows a short command. */
    public static String command(Class<?> main) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try {
            Path args = Files.createTempFile("redisha-app", ".args");
            args.toFile().deleteOnExit();
            Files.writeString(args, "-cp \"" + classPath.replace("\\", "\\\\") + "\"\n");
            return java + " @" + args + " " + main.getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
