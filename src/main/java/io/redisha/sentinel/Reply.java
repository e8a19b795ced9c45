package io.redisha.sentinel;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Redis or Sentinel reply as the server sent it, with its type: what {@code redisha cli} prints
 * needs to tell a status ({@code OK}) from a string ({@code "OK"}), which Jedis' own replies do not.
 */
public sealed interface Reply {

    /** A simple string: {@code +OK}. */
    record Status(String text) implements Reply {
    }

    /** An error reply: {@code -ERR ...} (or a RESP3 blob error). */
    record Error(String message) implements Reply {
    }

    record Int(long value) implements Reply {
    }

    /** A bulk string; its bytes need not be text. */
    record Bulk(byte[] bytes) implements Reply {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** A nil bulk string or array (RESP2), or RESP3's null. */
    record Nil() implements Reply {
    }

    /** RESP3 double, as the server wrote it ({@code inf}, {@code 1.5}). */
    record Decimal(String text) implements Reply {
    }

    /** RESP3 boolean. */
    record Bool(boolean value) implements Reply {
    }

    /** RESP3 big number, its digits. */
    record BigNumber(String digits) implements Reply {
    }

    /** RESP3 verbatim string: text with a format ({@code txt}, {@code mkd}). */
    record Verbatim(String format, String text) implements Reply {
    }

    /**
     * An aggregate: an array, or in RESP3 a set, a push message or a map, whose items are then
     * key, value, key, value...
     */
    record Aggregate(Kind kind, List<Reply> items) implements Reply {
        public enum Kind { ARRAY, SET, MAP, PUSH }

        public Aggregate {
            items = List.copyOf(items);
        }
    }
}
