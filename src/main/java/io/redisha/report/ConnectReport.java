package io.redisha.report;

import io.redisha.cluster.ClientAccess;

import java.util.Map;
import java.util.regex.Pattern;

/** Renders {@link ClientAccess} for people, as JSON, or as environment variables. */
public final class ConnectReport {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:,=@%+-]*");

    private ConnectReport() {
    }

    public static String json(ClientAccess access) {
        return Json.write(access);
    }

    /** KEY=value lines, quoted for a POSIX shell where needed: for {@code set -a; . FILE} and env files alike. */
    public static String env(ClientAccess access) {
        StringBuilder out = new StringBuilder();
        access.environment().forEach((key, value) -> out.append(key).append('=').append(shellQuoted(value)).append('\n'));
        return out.toString();
    }

    static String shellQuoted(String value) {
        return PLAIN.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    public static String text(ClientAccess access) {
        StringBuilder out = new StringBuilder();
        out.append("master name  ").append(access.masterName()).append('\n');
        out.append("sentinels    ").append(String.join(" ", access.sentinels())).append('\n');
        password(out, "password", access.redisPassword());
        password(out, "sentinel password", access.sentinelPassword());
        ClientAccess.TlsFiles tls = access.tls();
        if (tls != null) {
            out.append("tls          every connection, Sentinels included; trust the CA certificate ")
                    .append(tls.caCertificate()).append('\n');
            if (tls.clientCertificate() != null) {
                out.append("client cert  ").append(tls.clientCertificate()).append(" with its key ").append(tls.clientKey())
                        .append(" (the nodes ").append(tls.authClients().equals("yes") ? "require" : "accept")
                        .append(" one)\n");
            }
        }
        out.append('\n');
        TextTable table = new TextTable("SENTINEL OR REDIS HANDS OUT", "DIAL");
        for (Map.Entry<String, String> e : access.addressMap().entrySet()) {
            table.row(e.getKey(), e.getValue());
        }
        out.append(table);
        return out.toString();
    }

    private static void password(StringBuilder out, String what, ClientAccess.PasswordSource source) {
        if (source != null) {
            out.append(what).append(": ").append(source.user() != null ? "user " + source.user() + ", " : "")
                    .append(source.env() != null ? "in the environment variable " + source.env()
                    : "in the file " + source.file()).append('\n');
        }
    }
}
