package io.redisha.topology;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
  * Memory sizes as the topology writes them: a number of bytes, or a number with k, m, g or t,
  * optionally followed by b, i or ib, all powers of 1024 as in {@code docker run --memory}.
  */
final class Sizes {

    static final long KIB = 1024;
    static final long MIB = KIB * 1024;
    static final long GIB = MIB * 1024;
    static final long TIB = GIB * 1024;

    private static final Pattern SIZE = Pattern.compile("([0-9]+) ?(?:([kmgt])(?:ib|i|b)?|b)?");
    private static final String[] UNITS = {"TiB", "GiB", "MiB", "KiB"};
    private static final long[] UNIT_BYTES = {TIB, GIB, MIB, KIB};

    /** Thrown for text that is not a size, or one too large for a long. */
    static final class SizeException extends Exception {
        SizeException(String message) {
            super(message);
        }
    }

    private Sizes() {}

    static long parse(String text) throws SizeException {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new SizeException(YamlDocument.quote(text) + " is not a size: write a number of bytes or a number"
                    + " with k, m or g (powers of 1024), e.g. 256m or 1g");
        }
        try {
            long number = Long.parseLong(m.group(1));
            return m.group(2) == null ? number : Math.multiplyExact(number, unit(m.group(2).charAt(0)));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new SizeException(YamlDocument.quote(text) + " is too large");
        }
    }

    /** {@code 256 MiB}, {@code 1 GiB}, {@code 1500 bytes}: the largest unit that divides it exactly. */
    static String format(long bytes) {
        if (bytes != 0) {
            for (int i = 0; i < UNITS.length; i++) {
                if (bytes % UNIT_BYTES[i] == 0) {
                    return bytes / UNIT_BYTES[i] + " " + UNITS[i];
                }
            }
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }

    private static long unit(char letter) {
        return switch (letter) {
            case 'k' -> KIB;
            case 'm' -> MIB;
            case 'g' -> GIB;
            default -> TIB;
        };
    }
}
