package io.redisha.topology;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
  * Reads the passwords an {@link Auth} points to. No message ever contains a password: they
  * name the key, the variable or the file, and say what is wrong.
  */
final class Passwords {

    static final int MAX_FILE_BYTES = 4096;
    static final String NOT_AN_ENV_NAME = "is not an environment variable name (letters, digits and _, not starting"
            + " with a digit); it names the variable that holds the password, not the password itself";

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Set<PosixFilePermission> OTHERS =
            Set.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private Passwords() {}

    /**
      * The password of one key pair ({@code auth.password-env}/{@code auth.password-file}, or the
      * Sentinel's), or null when neither is set or on a problem, which is added to {@code problems}.
      */
    static String read(String envKey, String env, String fileKey, String file, Path base, Map<String, String> environment,
            List<Problem> problems) {
        if (env != null && file != null) {
            problems.add(new Problem(fileKey, null, "both " + envKey + " and " + fileKey + " are set; keep one"));
            return null;
        }
        if (env != null) {
            return fromEnvironment(envKey, env, environment, problems);
        }
        return file == null ? null : fromFile(fileKey, null, resolve(base, file), problems);
    }

    /**
      * Refuses a password that a server would write back into its own configuration file in a form
      * it cannot read again. Sentinel writes {@code sentinel auth-pass} and {@code sentinel sentinel-pass}
      * unquoted whenever it rewrites its file (every failover does), and Valkey 8.1's {@code CONFIG
      * REWRITE} writes {@code requirepass} and {@code primaryauth} between quotes without escaping:
      * after either, a space, a quote or a backslash leaves a file on which the node no longer
      * starts, which shows only at its next restart.
      */
    static void checkWrittenBack(String key, Integer line, String password, List<Problem> problems) {
        if (password == null) {
            return;
        }
        for (int i = 0; i < password.length(); i++) {
            String what = unsafe(password.charAt(i));
            if (what != null) {
                problems.add(new Problem(key, line, "the password contains " + what + ", which Sentinel (and Valkey)"
                        + " write back unquoted into their configuration files, where a restarted node could no longer"
                        + " read it; use one without spaces, quotes or backslashes (e.g. openssl rand -hex 32)"));
                return;
            }
        }
    }

    private static String unsafe(char c) {
        return switch (c) {
            case ' ' -> "a space";
            case '"' -> "a double quote";
            case '\'' -> "a single quote";
            case '\\' -> "a backslash";
            default -> c < 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isSpaceChar(c)
                    ? "a tab, another blank or a control character" : null;
        };
    }

    /** Where a password file is: relative paths are relative to {@code base}. */
    static Path resolve(Path base, String file) {
        try {
            Path path = Path.of(file);
            return path.isAbsolute() || base == null ? path : base.resolve(path);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    static boolean isEnvName(String name) {
        return ENV_NAME.matcher(name).matches();
    }

    private static String fromEnvironment(String key, String name, Map<String, String> environment,
            List<Problem> problems) {
        if (!isEnvName(name)) {
            problems.add(new Problem(key, null, NOT_AN_ENV_NAME));
            return null;
        }
        String value = environment.get(name);
        String what = "environment variable " + name;
        if (value == null) {
            problems.add(new Problem(key, null, what + " is not set"));
            return null;
        }
        return checked(key, null, what, value, problems);
    }

    /** The password in {@code file}, or null after adding the problem with it. */
    static String fromFile(String key, Integer line, Path file, List<Problem> problems) {
        if (file == null) {
            problems.add(new Problem(key, line, "is not a valid file path"));
            return null;
        }
        String what = "password file " + file;
        try {
            if (Files.isDirectory(file)) {
                problems.add(new Problem(key, line, what + " is a directory"));
                return null;
            }
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // a FIFO or a device would block or never end
                problems.add(new Problem(key, line, what + " is not a regular file"));
                return null;
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                problems.add(new Problem(key, line, what + " is larger than " + MAX_FILE_BYTES / 1024
                        + " KiB, the limit for a password file"));
                return null;
            }
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return checked(key, line, what, stripFinalNewline(text), problems);
        } catch (NoSuchFileException e) {
            problems.add(new Problem(key, line, what + " does not exist"));
        } catch (AccessDeniedException e) {
            problems.add(new Problem(key, line, "cannot read " + what + ": permission denied"));
        } catch (CharacterCodingException e) {
            problems.add(new Problem(key, line, what + " is not UTF-8 text"));
        } catch (IOException | SecurityException e) {
            problems.add(new Problem(key, line, "cannot read " + what + ": " + e.getMessage()));
        }
        return null;
    }

    /** A warning when other users of this machine may read or change the file, else null. */
    static String permissionWarning(String key, Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(OTHERS::contains)) {
                return key + ": password file " + file + " can be read or changed by other users of this machine (mode "
                        + PosixFilePermissions.toString(permissions) + "); chmod 600 it";
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not POSIX, or unreadable: the load-time check reports what matters
        }
        return null;
    }

    private static String stripFinalNewline(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static String checked(String key, Integer line, String what, String password, List<Problem> problems) {
        if (password.isEmpty()) {
            problems.add(new Problem(key, line, what + " is empty"));
            return null;
        }
        if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0 || password.indexOf('\0') >= 0) {
            problems.add(new Problem(key, line, what + " contains a newline or NUL character"
                    + (what.startsWith("password file") ? " (only one newline, at the very end, is allowed)" : "")));
            return null;
        }
        return password;
    }
}
