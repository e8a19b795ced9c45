package io.redisha.backend.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A digest of everything an image build reads: the context's files, the build arguments, and the id of
 * each image a build argument names (the base image). An image labelled with the same digest is what
 * the build would produce again, so the build can be skipped; a changed file, argument or re-tagged
 * base image changes the digest.
 */
final class BuildInputs {
    private BuildInputs() {
    }

    /** @param imageId the id of the image a build argument names, or null when it names none */
    static String digest(Path contextDir, Map<String, String> buildArgs, Function<String, String> imageId) {
        MessageDigest sha = sha256();
        try (Stream<Path> walk = Files.walk(contextDir)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            for (Path file : files) {
                update(sha, "file " + contextDir.relativize(file).toString().replace('\\', '/'));
                sha.update(Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build context " + contextDir, e);
        }
        for (Map.Entry<String, String> arg : new TreeMap<>(buildArgs).entrySet()) {
            update(sha, "arg " + arg.getKey() + "=" + arg.getValue());
            String id = imageId.apply(arg.getValue());
            update(sha, "image " + (id == null ? "" : id));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
