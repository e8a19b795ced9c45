package io.redisha.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code SERVICE=N} arguments of {@code redisha scale}: {@code sentinel=N} and
 * {@code replica=N} (synonym {@code slave=N}; plurals accepted). Counts are checked against the
 * topology later; here only their form and the service names.
 */
final class ScaleArguments {
    private static final Pattern ARGUMENT = Pattern.compile("([A-Za-z]+)=(-?[0-9]{1,9})");

    /** The requested counts; null leaves a count as it is. */
    record Counts(Integer replicas, Integer sentinels) {
    }

    /** A malformed argument: exit 2, like every command-line mistake. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message);
        }
    }

    private ScaleArguments() {
    }

    /**
     * @throws Malformed     for an argument that is not SERVICE=N, or a service given twice
     * @throws UserException (exit 6) for a service that cannot be scaled
     */
    static Counts parse(List<String> args) {
        Integer replicas = null;
        Integer sentinels = null;
        List<String> malformed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (String arg : args) {
            Matcher m = ARGUMENT.matcher(arg.strip());
            if (!m.matches()) {
                malformed.add(describeMalformed(arg));
                continue;
            }
            String service = m.group(1).toLowerCase(Locale.ROOT);
            int count = Integer.parseInt(m.group(2));
            switch (service) {
                case "sentinel", "sentinels" -> {
                    if (sentinels != null) {
                        malformed.add("the Sentinel count is given twice");
                    }
                    sentinels = count;
                }
                case "replica", "replicas", "slave", "slaves" -> {
                    if (replicas != null) {
                        malformed.add("the replica count is given twice (slave is a synonym of replica)");
                    }
                    replicas = count;
                }
                case "master", "masters" -> refused.add(arg + ": a deployment has exactly one master;"
                        + " scale sentinel or replica (slave)");
                default -> refused.add("unknown service '" + m.group(1) + "' in " + arg
                        + ": expected sentinel, replica or slave");
            }
        }
        if (!malformed.isEmpty()) {
            throw new Malformed(String.join("; ", malformed));
        }
        if (!refused.isEmpty()) {
            throw new UserException(ExitCodes.REFUSED, String.join("; ", refused));
        }
        return new Counts(replicas, sentinels);
    }

    private static String describeMalformed(String arg) {
        String shown = "'" + arg + "'";
        int eq = arg.indexOf('=');
        if (eq < 0) {
            return "malformed argument " + shown + ": expected SERVICE=N, e.g. sentinel=5 or replica=2";
        }
        if (eq == 0 || !arg.substring(0, eq).strip().matches("[A-Za-z]+")) {
            return "malformed argument " + shown + ": expected a service name before '=' (sentinel, replica or slave)";
        }
        if (arg.substring(eq + 1).strip().matches("-?[0-9]+")) {
            return "malformed argument " + shown + ": the count is too large";
        }
        return "malformed argument " + shown + ": the count must be a whole number, e.g. "
                + arg.substring(0, eq).strip() + "=3";
    }
}
