package io.redisha.topology;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
  * Reads topology files: safe YAML composition, then one pass that collects every problem
  * with its path and line, then the semantic checks of {@link #validate(Topology)}.
  */
public final class TopologyLoader {

    private static final Comparator<Problem> BY_LINE =
            Comparator.comparing(Problem::line, Comparator.nullsLast(Comparator.naturalOrder()));

    private TopologyLoader() {}

    /** Loads {@code file}; problems are reported against the file name as given. */
    public static LoadedTopology load(Path file) throws TopologyException {
        String source = file.toString();
        String text = read(file, source);
        return parse(text, source, file);
    }

    /** Parses topology text; {@code sourceName} prefixes every message of the exception. */
    public static LoadedTopology parse(String yaml, String sourceName) throws TopologyException {
        return parse(yaml, sourceName, null);
    }

    /** The semantic checks alone, for topologies built in code; problems carry no line. */
    public static List<Problem> validate(Topology t) {
        return TopologyRules.check(t).stream()
                .map(f -> new Problem(f.path(), null, f.message()))
                .toList();
    }

    /**
      * The passwords {@code loaded.topology().auth()} points to: environment variables looked up in
      * {@code environment}, files read relative to the topology file's directory (the working
      * directory when there is no file). Problems name the key, never the password.
      */
    public static Secrets secrets(LoadedTopology loaded, Map<String, String> environment) throws TopologyException {
        Auth auth = loaded.topology().auth();
        Path base = baseDirectory(loaded.file());
        List<Problem> problems = new ArrayList<>();
        String redis = Passwords.read("auth.password-env", auth.passwordEnv(), "auth.password-file",
                auth.passwordFile(), base, environment, problems);
        Passwords.checkWrittenBack(auth.passwordEnv() != null ? "auth.password-env" : "auth.password-file", null, redis,
                problems);
        String sentinel = Passwords.read("auth.sentinel-password-env", auth.sentinelPasswordEnv(),
                "auth.sentinel-password-file", auth.sentinelPasswordFile(), base, environment, problems);
        Passwords.checkWrittenBack(auth.sentinelPasswordEnv() != null ? "auth.sentinel-password-env"
                : "auth.sentinel-password-file", null, sentinel, problems);
        java.util.Map<String, String> users = new java.util.LinkedHashMap<>();
        for (User user : auth.users().values()) {
            String prefix = "auth.users." + YamlDocument.pathKey(user.name());
            String password = Passwords.read(prefix + ".password-env", user.passwordEnv(), prefix + ".password-file",
                    user.passwordFile(), base, environment, problems);
            if (Users.WRITTEN_BACK.contains(user.name())) {
                Passwords.checkWrittenBack(prefix + (user.passwordEnv() != null ? ".password-env" : ".password-file"), null,
                        password, problems);
            }
            if (password != null) {
                users.put(user.name(), password);
            }
        }
        if (!problems.isEmpty()) {
            throw new TopologyException(loaded.file() == null ? null : loaded.file().toString(), problems);
        }
        return new Secrets(redis, sentinel, users);
    }

    /** What is allowed but risky, one {@code path: message} line each. */
    public static List<String> warnings(Topology t) {
        return TopologyRules.warnings(t);
    }

    private static LoadedTopology parse(String yaml, String source, Path file) throws TopologyException {
        Node root = YamlDocument.compose(yaml, source);
        YamlDocument.checkLimits(root, source);
        TopologyReader.Result read = TopologyReader.read(root);
        List<Problem> problems = new ArrayList<>(read.problems());
        List<String> flagged = new ArrayList<>();
        for (TopologyRules.Finding finding : TopologyRules.check(read.topology())) {
            if (finding.involves().stream().noneMatch(read::isBroken)) {
                problems.add(new Problem(finding.path(), read.lineOf(finding.path()), finding.message()));
                flagged.add(finding.path());
            }
        }
        List<String> warnings = new ArrayList<>(warnings(read.topology()));
        if (file != null) {
            Auth auth = read.topology().auth();
            passwordFile(read, "auth.password-file", auth.passwordFile(), true, file, flagged, problems, warnings);
            passwordFile(read, "auth.sentinel-password-file", auth.sentinelPasswordFile(), true, file, flagged, problems,
                    warnings);
            for (User user : auth.users().values()) {
                passwordFile(read, "auth.users." + YamlDocument.pathKey(user.name()) + ".password-file",
                        user.passwordFile(), Users.WRITTEN_BACK.contains(user.name()), file, flagged, problems, warnings);
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(BY_LINE);
            throw new TopologyException(source, problems);
        }
        return new LoadedTopology(read.topology(), warnings, file);
    }

    /**
      * Reads a password file now, so that a bad one fails before anything is created, and forgets
      * the password: {@link #secrets} reads it again when it is needed.
      */
    private static void passwordFile(TopologyReader.Result read, String key, String value, boolean writtenBack,
            Path topologyFile, List<String> flagged, List<Problem> problems, List<String> warnings) {
        if (value == null || flagged.contains(key) || read.isBroken(key)) {
            return;
        }
        Path path = Passwords.resolve(baseDirectory(topologyFile), value);
        List<Problem> found = new ArrayList<>();
        String password = Passwords.fromFile(key, read.lineOf(key), path, found);
        if (writtenBack) {
            Passwords.checkWrittenBack(key, read.lineOf(key), password, found);
        }
        problems.addAll(found);
        String warning = found.isEmpty() ? Passwords.permissionWarning(key, path) : null;
        if (warning != null) {
            warnings.add(warning);
        }
    }

    /** A path the topology names (a password file, a TLS directory), relative to the topology file's directory. */
    public static Path resolve(LoadedTopology loaded, String path) {
        Path resolved = Passwords.resolve(baseDirectory(loaded.file()), path);
        return resolved == null ? Path.of(path) : resolved;
    }

    private static Path baseDirectory(Path topologyFile) {
        return topologyFile == null ? null : topologyFile.toAbsolutePath().getParent();
    }

    private static String read(Path file, String source) throws TopologyException {
        try {
            if (Files.isDirectory(file)) {
                throw fail(source, "is a directory, not a topology file", null);
            }
            long size = Files.size(file);
            if (size > YamlDocument.MAX_BYTES) {
                throw new TopologyException(source, List.of(YamlDocument.tooLarge(size + " bytes")));
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                // the file may have grown since it was measured
                bytes = in.readNBytes(YamlDocument.MAX_BYTES + 1);
            }
            if (bytes.length > YamlDocument.MAX_BYTES) {
                throw new TopologyException(source, List.of(YamlDocument.tooLarge("more than " + YamlDocument.MAX_BYTES + " bytes")));
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (NoSuchFileException e) {
            throw fail(source, "file not found", e);
        } catch (AccessDeniedException e) {
            throw fail(source, "cannot read the file: permission denied", e);
        } catch (CharacterCodingException e) {
            throw fail(source, "the file is not UTF-8 text", e);
        } catch (IOException e) {
            throw fail(source, "cannot read the file: " + e.getMessage(), e);
        }
    }

    private static TopologyException fail(String source, String message, Throwable cause) {
        return new TopologyException(source, List.of(new Problem("", null, message)), cause);
    }
}
