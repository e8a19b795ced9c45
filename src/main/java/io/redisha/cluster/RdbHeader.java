package io.redisha.cluster;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an RDB file says about itself in its first bytes: the format version ({@code REDIS0011})
 * and the auxiliary fields the server wrote before the data (its version, the replication id and
 * offset of the snapshot, its creation time).
 *
 * @param format the RDB format version
 * @param aux    the auxiliary fields, in order ("redis-ver", "repl-id", "repl-offset", "ctime"...)
 */
public record RdbHeader(int format, Map<String, String> aux) {
    private static final int AUX = 0xFA;
    private static final int MAX_AUX_FIELDS = 64;

    public RdbHeader {
        aux = Map.copyOf(aux);
    }

    /** The header of the file; empty when it does not start like an RDB file. */
    public static Optional<RdbHeader> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    static Optional<RdbHeader> read(InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw));
        byte[] magic = new byte[9];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            return Optional.empty();
        }
        String head = new String(magic, StandardCharsets.US_ASCII);
        if (!head.startsWith("REDIS") && !head.startsWith("VALKEY")) {
            return Optional.empty();
        }
        // Valkey 9 writes "VALKEY080"; everything before writes "REDIS00NN"
        int digitsFrom = head.startsWith("REDIS") ? 5 : 6;
        if (digitsFrom == 6) {
            int extra = in.read();
            if (extra < 0) {
                return Optional.empty();
            }
            head = head + (char) extra;
        }
        String digits = head.substring(digitsFrom);
        if (!digits.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        Map<String, String> aux = new LinkedHashMap<>();
        try {
            for (int i = 0; i < MAX_AUX_FIELDS; i++) {
                in.mark(1);
                if (in.read() != AUX) {
                    break;
                }
                String key = string(in);
                String value = string(in);
                if (key == null || value == null) {
                    break;
                }
                aux.put(key, value);
            }
        } catch (EOFException e) {
            // a file this short has no data either: the checks that follow say so
        }
        return Optional.of(new RdbHeader(Integer.parseInt(digits), aux));
    }

    /** A length-prefixed string, or an integer encoded as one; null for a compressed string. */
    private static String string(DataInputStream in) throws IOException {
        int first = in.readUnsignedByte();
        int kind = first >> 6;
        long length;
        switch (kind) {
            case 0 -> length = first & 0x3F;
            case 1 -> length = ((first & 0x3F) << 8) | in.readUnsignedByte();
            case 2 -> length = first == 0x80 ? Integer.toUnsignedLong(in.readInt()) : in.readLong();
            default -> {
                return switch (first & 0x3F) {
                    case 0 -> String.valueOf(in.readByte());
                    case 1 -> String.valueOf((short) (in.readUnsignedByte() | (in.readUnsignedByte() << 8)));
                    case 2 -> String.valueOf(Integer.reverseBytes(in.readInt()));
                    default -> null;
                };
            }
        }
        if (length > 1 << 20) {
            return null;
        }
        byte[] bytes = new byte[(int) length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The server version that wrote the file ("7.0.15"), or null. */
    public String serverVersion() {
        return aux.containsKey("valkey-ver") ? aux.get("valkey-ver") : aux.get("redis-ver");
    }

    public String replicationId() {
        return aux.get("repl-id");
    }

    /** The replication offset of the snapshot, or null. */
    public Long replicationOffset() {
        String offset = aux.get("repl-offset");
        return offset == null || !offset.matches("-?\\d+") ? null : Long.parseLong(offset);
    }
}
