package io.redisha.cli;

import io.redisha.sentinel.Reply;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Replies printed the way redis-cli prints them (its terminal form, and --raw), or as JSON values. */
final class ReplyFormat {
    /** Commands whose reply redis-cli prints raw even on a terminal: text meant to be read as it is. */
    private static final Set<String> RAW_COMMANDS = Set.of("info", "lolwut", "client list", "client info",
            "cluster info", "cluster nodes", "memory doctor", "memory malloc-stats", "latency doctor",
            "latency graph", "debug htstats", "debug htstats-key");

    private ReplyFormat() {
    }

    /** The reply as redis-cli shows it on a terminal, ending with a newline. */
    static String tty(Reply reply) {
        return tty(reply, "");
    }

    /** As redis-cli: the raw text for commands such as INFO, the terminal form for the rest. */
    static String forCommand(List<String> command, Reply reply) {
        return printsRaw(command) ? raw(reply) : tty(reply);
    }

    static boolean printsRaw(List<String> command) {
        if (command.isEmpty()) {
            return false;
        }
        String first = command.get(0).toLowerCase(Locale.ROOT);
        return RAW_COMMANDS.contains(first)
                || (command.size() > 1 && RAW_COMMANDS.contains(first + " " + command.get(1).toLowerCase(Locale.ROOT)));
    }

    private static String tty(Reply reply, String prefix) {
        if (reply instanceof Reply.Error e) {
            return "(error) " + e.message() + "\n";
        } else if (reply instanceof Reply.Int i) {
            return "(integer) " + i.value() + "\n";
        } else if (reply instanceof Reply.Decimal d) {
            return "(double) " + d.text() + "\n";
        } else if (reply instanceof Reply.BigNumber b) {
            return "(big number) " + b.digits() + "\n";
        } else if (reply instanceof Reply.Bool b) {
            return (b.value() ? "(true)" : "(false)") + "\n";
        } else if (reply instanceof Reply.Bulk b) {
            return repr(b.bytes()) + "\n";
        } else if (reply instanceof Reply.Nil) {
            return "(nil)\n";
        } else if (reply instanceof Reply.Aggregate a) {
            return aggregate(a, prefix);
        }
        return rawItem(reply) + "\n"; // a status, a verbatim string: their text
    }

    /** redis-cli's numbering: "1) ", nested items indented under their parent's number, maps as "1# key => value". */
    private static String aggregate(Reply.Aggregate a, String prefix) {
        if (a.items().isEmpty()) {
            return switch (a.kind()) {
                case ARRAY -> "(empty array)\n";
                case MAP -> "(empty hash)\n";
                case SET -> "(empty set)\n";
                case PUSH -> "(empty push)\n";
            };
        }
        boolean map = a.kind() == Reply.Aggregate.Kind.MAP;
        int entries = map ? a.items().size() / 2 : a.items().size();
        int width = Integer.toString(entries).length();
        String nested = prefix + " ".repeat(width + 2);
        char separator = switch (a.kind()) {
            case SET -> '~';
            case MAP -> '#';
            default -> ')';
        };
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < a.items().size(); i++) {
            int number = (map ? i / 2 : i) + 1;
            out.append(i == 0 ? "" : prefix).append(String.format("%" + width + "d%c ", number, separator));
            out.append(tty(a.items().get(i), nested));
            if (map) {
                i++;
                out.setLength(out.length() - 1);
                out.append(" => ").append(tty(a.items().get(i), nested));
            }
        }
        return out.toString();
    }

    /** A string quoted as redis-cli quotes it: printable ASCII as it is, the rest escaped. */
    static String repr(byte[] bytes) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : bytes) {
            switch (b) {
                case '\\', '"' -> out.append('\\').append((char) b);
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        out.append((char) b);
                    } else {
                        out.append(String.format("\\x%02x", b & 0xff));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** redis-cli --raw: text as it is, an item per line, nothing for nil; ends with a newline. */
    static String raw(Reply reply) {
        return rawItem(reply) + "\n";
    }

    private static String rawItem(Reply reply) {
        if (reply instanceof Reply.Error e) {
            return e.message();
        } else if (reply instanceof Reply.Status s) {
            return s.text();
        } else if (reply instanceof Reply.Int i) {
            return Long.toString(i.value());
        } else if (reply instanceof Reply.Decimal d) {
            return d.text();
        } else if (reply instanceof Reply.BigNumber b) {
            return b.digits();
        } else if (reply instanceof Reply.Bool b) {
            return b.value() ? "(true)" : "(false)";
        } else if (reply instanceof Reply.Bulk b) {
            return b.text().replace("\r\n", "\n");
        } else if (reply instanceof Reply.Verbatim v) {
            return v.text().replace("\r\n", "\n");
        } else if (reply instanceof Reply.Aggregate a) {
            return String.join("\n", a.items().stream().map(ReplyFormat::rawItem).toList());
        }
        return ""; // nil
    }

    /**
     * The reply as a JSON value: strings, numbers, true/false, null for nil, arrays, objects for maps,
     * and {"error": "..."} for an error.
     */
    static Object json(Reply reply) {
        if (reply instanceof Reply.Error e) {
            return Map.of("error", e.message());
        } else if (reply instanceof Reply.Int i) {
            return i.value();
        } else if (reply instanceof Reply.Decimal d) {
            return decimal(d.text());
        } else if (reply instanceof Reply.BigNumber b) {
            return new BigInteger(b.digits());
        } else if (reply instanceof Reply.Bool b) {
            return b.value();
        } else if (reply instanceof Reply.Nil) {
            return null;
        } else if (reply instanceof Reply.Bulk b) {
            return b.text();
        } else if (reply instanceof Reply.Verbatim v) {
            return v.text();
        } else if (reply instanceof Reply.Aggregate a) {
            return a.kind() == Reply.Aggregate.Kind.MAP ? jsonMap(a.items()) : jsonList(a.items());
        }
        return rawItem(reply); // a status: its text
    }

    private static Object decimal(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : text;
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static List<Object> jsonList(List<Reply> items) {
        List<Object> list = new ArrayList<>();
        items.forEach(item -> list.add(json(item)));
        return list;
    }

    private static Map<String, Object> jsonMap(List<Reply> items) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < items.size(); i += 2) {
            map.put(rawItem(items.get(i)), json(items.get(i + 1)));
        }
        return map;
    }
}
