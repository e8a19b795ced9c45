package io.redisha.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits a line typed at the prompt into a command's arguments as redis-cli does: words apart by
 * blanks; "double quotes" with \n \r \t \b \a \xHH and backslash escapes; 'single quotes' with \'
 * only; a closing quote must end the word.
 */
final class ArgSplitter {
    private ArgSplitter() {
    }

    /** The arguments as bytes (a \xHH escape need not make UTF-8); empty when the quotes are unbalanced. */
    static Optional<List<byte[]>> split(String line) {
        byte[] p = line.getBytes(StandardCharsets.UTF_8);
        List<byte[]> args = new ArrayList<>();
        int i = 0;
        while (true) {
            while (i < p.length && isSpace(p[i])) {
                i++;
            }
            if (i >= p.length) {
                return Optional.of(args);
            }
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                byte c = i < p.length ? p[i] : 0;
                boolean end = i >= p.length;
                if (inDouble) {
                    if (c == '\\' && at(p, i + 1) == 'x' && isHex(at(p, i + 2)) && isHex(at(p, i + 3))) {
                        current.write(Character.digit(at(p, i + 2), 16) * 16 + Character.digit(at(p, i + 3), 16));
                        i += 3;
                    } else if (c == '\\' && i + 1 < p.length) {
                        i++;
                        current.write(switch (p[i]) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> p[i];
                        });
                    } else if (c == '"' && !end) {
                        if (i + 1 < p.length && !isSpace(p[i + 1])) {
                            return Optional.empty();
                        }
                        done = true;
                    } else if (end) {
                        return Optional.empty();
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && at(p, i + 1) == '\'') {
                        i++;
                        current.write('\'');
                    } else if (c == '\'' && !end) {
                        if (i + 1 < p.length && !isSpace(p[i + 1])) {
                            return Optional.empty();
                        }
                        done = true;
                    } else if (end) {
                        return Optional.empty();
                    } else {
                        current.write(c);
                    }
                } else if (end || isSpace(c)) {
                    done = true;
                } else if (c == '"') {
                    inDouble = true;
                } else if (c == '\'') {
                    inSingle = true;
                } else {
                    current.write(c);
                }
                if (!end) {
                    i++;
                }
            }
            args.add(current.toByteArray());
        }
    }

    private static byte at(byte[] p, int i) {
        return i < p.length ? p[i] : 0;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == '\f';
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
