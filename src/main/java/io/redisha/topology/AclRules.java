package io.redisha.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a user's ACL rules allow, worked out as the server applies them (left to right), for the
 * commands Sentinel and replication need; and which rules redisha keeps for itself (passwords, on/off).
 *
 * <p>The categories are those Redis 7, Redis 8 and Valkey 8 give these commands (COMMAND INFO; the
 * same on the three).
 */
public final class AclRules {
    /** What the Sentinels send a Redis node through their user (Redis' documented minimal rules). */
    public static final List<String> SENTINEL_NEEDS = List.of("multi", "exec", "slaveof", "ping", "subscribe",
            "config|rewrite", "role", "publish", "info", "client|setname", "client|kill", "script|kill");
    /** What a replica sends its master through its user. */
    public static final List<String> REPLICATION_NEEDS = List.of("psync", "replconf", "ping");

    private static final Map<String, Set<String>> CATEGORIES = Map.ofEntries(
            Map.entry("multi", Set.of("fast", "transaction")),
            Map.entry("exec", Set.of("slow", "transaction")),
            Map.entry("slaveof", Set.of("admin", "slow", "dangerous")),
            Map.entry("ping", Set.of("fast", "connection")),
            Map.entry("subscribe", Set.of("pubsub", "slow")),
            Map.entry("config|rewrite", Set.of("admin", "slow", "dangerous")),
            Map.entry("role", Set.of("admin", "fast", "dangerous")),
            Map.entry("publish", Set.of("pubsub", "fast")),
            Map.entry("info", Set.of("slow", "dangerous")),
            Map.entry("client|setname", Set.of("slow", "connection")),
            Map.entry("client|kill", Set.of("admin", "slow", "dangerous", "connection")),
            Map.entry("script|kill", Set.of("slow", "scripting")),
            Map.entry("psync", Set.of("admin", "slow", "dangerous")),
            Map.entry("replconf", Set.of("admin", "slow", "dangerous")),
            Map.entry("sync", Set.of("admin", "slow", "dangerous")),
            Map.entry("failover", Set.of("admin", "slow", "dangerous")));

    private static final Pattern WORD = Pattern.compile("\\s+");

    private AclRules() {
    }

    static List<String> words(String rules) {
        String trimmed = rules.strip();
        return trimmed.isEmpty() ? List.of() : List.of(WORD.split(trimmed));
    }

    /**
     * Why a rule is not the user's to write, or null: redisha sets the passwords and turns users on
     * (the rule itself is never shown, since it may hold a password).
     */
    static String reserved(String rule) {
        String r = rule.toLowerCase(Locale.ROOT);
        if (r.startsWith(">") || r.startsWith("<") || r.startsWith("#") || r.startsWith("!") || r.equals("nopass")
                || r.equals("resetpass")) {
            return "sets or removes a password; passwords come from password-file or password-env only";
        }
        if (rule.chars().anyMatch(c -> c == '"' || c == '\'' || c == '\\' || c < 0x21 || c == 0x7f)) {
            return "holds a quote, a backslash or a control character, which redisha does not write into a configuration";
        }
        if (r.equals("on") || r.equals("off") || r.equals("reset")) {
            return "holds " + r + ", which redisha sets itself";
        }
        return null;
    }

    /** The first of {@code needed} that the rules do not allow, or null when they allow all. */
    public static String missingCommand(String rules, List<String> needed) {
        for (String command : needed) {
            if (!allows(rules, command)) {
                return command;
            }
        }
        return null;
    }

    /** Whether the rules allow the command ({@code info}, or {@code config|rewrite} for a subcommand). */
    public static boolean allows(String rules, String command) {
        String base = command.contains("|") ? command.substring(0, command.indexOf('|')) : command;
        Set<String> categories = CATEGORIES.getOrDefault(command, Set.of());
        boolean allowed = false;
        for (String word : words(rules)) {
            String w = word.toLowerCase(Locale.ROOT);
            switch (w) {
                case "allcommands", "+@all" -> allowed = true;
                case "nocommands", "-@all", "reset" -> allowed = false;
                default -> {
                    if (w.length() < 2 || (w.charAt(0) != '+' && w.charAt(0) != '-')) {
                        continue;
                    }
                    boolean plus = w.charAt(0) == '+';
                    String target = w.substring(1);
                    if (target.startsWith("@")) {
                        if (categories.contains(target.substring(1))) {
                            allowed = plus;
                        }
                    } else if (target.equals(command) || target.equals(base)) {
                        allowed = plus;
                    }
                }
            }
        }
        return allowed;
    }

    /** Whether the rules allow publishing and subscribing to {@code channel}. */
    public static boolean allowsChannel(String rules, String channel) {
        boolean allowed = false;
        for (String word : words(rules)) {
            String w = word.toLowerCase(Locale.ROOT);
            if (w.equals("allchannels")) {
                allowed = true;
            } else if (w.equals("resetchannels") || w.equals("reset")) {
                allowed = false;
            } else if (word.startsWith("&") && glob(word.substring(1), channel)) {
                allowed = true;
            }
        }
        return allowed;
    }

    /** Redis' glob: * ? and [...] (enough for channel patterns). */
    static boolean glob(String pattern, String text) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int end = pattern.indexOf(']', i + 1);
                    if (end < 0) {
                        regex.append("\\[");
                    } else {
                        regex.append('[').append(pattern.substring(i + 1, end).replace("\\", "\\\\").replace("[", "\\["))
                                .append(']');
                        i = end;
                    }
                }
                case '\\' -> {
                    if (i + 1 < pattern.length()) {
                        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.matches(regex.toString(), text);
    }

    /** The needs of a user redisha gives a role, on a server ({@code valkey 9} adds FAILOVER for Sentinel). */
    public static List<String> needs(String user, String flavour, int major) {
        List<String> needs = new ArrayList<>();
        if (user.equals(Users.SENTINEL)) {
            needs.addAll(SENTINEL_NEEDS);
            if (flavour.equals("valkey") && major >= 9) {
                needs.add("failover");
            }
        } else if (user.equals(Users.REPLICATION)) {
            needs.addAll(REPLICATION_NEEDS);
        }
        return needs;
    }
}
