package io.redisha.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A password as Redis' ACL keeps it: the SHA-256 of its bytes, in lowercase hex ({@code ACL GETUSER}, {@code #hash}). */
final class UserPasswords {
    private UserPasswords() {
    }

    static String hash(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
