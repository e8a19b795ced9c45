package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.ImageFacts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server an image runs, found from the image itself (its default command and the version it
 * declares, else by running its server's {@code --version}), never from the image's name: which
 * binary starts Redis and Sentinel, and whether redisha can run it at all.
 *
 * <p>Redis 7.x and 8.x and Valkey 8.x read the same configuration files and give the same
 * Sentinel replies and events (checked on each); what differs is the binary's name.
 *
 * @param flavour "redis" or "valkey"
 * @param version "7.0.15"
 * @param binary  the server program: redis-server or valkey-server; with --sentinel it is Sentinel
 */
public record ServerImage(String image, String flavour, String version, String binary) {
    private static final List<String> SERVERS = List.of("valkey-server", "redis-server");
    private static final Pattern VERSION_LINE = Pattern.compile("\\b(Redis|Valkey) server v=(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Map<String, String> VERSION_ENV = Map.of("redis-server", "REDIS_VERSION",
            "valkey-server", "VALKEY_VERSION");

    /** "Redis 7.0.15", "Valkey 8.1.1". */
    public String describe() {
        return (flavour.equals("valkey") ? "Valkey " : "Redis ") + version;
    }

    /**
     * Finds the server of an image that is on the backend's engine.
     *
     * @throws PreflightException (nothing was created) when the image has no Redis or Valkey server,
     *                            or one redisha cannot run
     */
    public static ServerImage detect(Backend backend, String image) {
        ImageFacts facts = backend.imageFacts(image).orElseThrow(() -> new PreflightException(
                "image " + image + " (topology `image`) is not on the engine at " + backend.describe()));
        ServerImage server = declared(image, facts).orElseGet(() -> probed(backend, image, facts));
        String refusal = refusal(server);
        if (refusal != null) {
            throw new PreflightException("image " + image + " (topology `image`) runs " + server.describe() + "; "
                    + refusal + " (nothing was created)");
        }
        return server;
    }

    /** The server the image declares: a server binary as its default command and the version in its environment. */
    static Optional<ServerImage> declared(String image, ImageFacts facts) {
        String program = facts.cmd().isEmpty() ? "" : baseName(facts.cmd().get(0));
        String versionVar = VERSION_ENV.get(program);
        String version = versionVar == null ? null : facts.env().get(versionVar);
        if (version == null || !version.matches("\\d+\\.\\d+\\.\\d+.*")) {
            return Optional.empty();
        }
        return Optional.of(new ServerImage(image, program.replace("-server", ""), version, program));
    }

    /** Runs each candidate server's --version in turn; the first that answers like a server names it. */
    private static ServerImage probed(Backend backend, String image, ImageFacts facts) {
        Set<String> candidates = new LinkedHashSet<>();
        if (!facts.cmd().isEmpty() && SERVERS.contains(baseName(facts.cmd().get(0)))) {
            candidates.add(facts.cmd().get(0));
        }
        candidates.addAll(SERVERS);
        List<String> answers = new ArrayList<>();
        for (String program : candidates) {
            Optional<String> output = backend.runOnce(image, program, List.of("--version"));
            if (output.isEmpty()) {
                continue;
            }
            Optional<ServerImage> server = parse(image, baseName(program), output.get());
            if (server.isPresent()) {
                return server.get();
            }
            answers.add(program + " --version said: " + firstLine(output.get()));
        }
        throw new PreflightException("image " + image + " (topology `image`) is not a Redis or Valkey image: "
                + (answers.isEmpty() ? "it has neither redis-server nor valkey-server" : String.join("; ", answers))
                + " (nothing was created)");
    }

    /** Reads "Redis server v=7.0.15 sha=..." or "Valkey server v=8.1.1 ...": the word names the server, not the binary. */
    static Optional<ServerImage> parse(String image, String program, String output) {
        Matcher m = VERSION_LINE.matcher(output);
        if (!m.find()) {
            return Optional.empty();
        }
        String version = m.group(2) + "." + m.group(3) + "." + m.group(4);
        return Optional.of(new ServerImage(image, m.group(1).toLowerCase(Locale.ROOT), version, program));
    }

    /**
     * Refuses a server built without TLS: it is started once, without a network, on a TLS port with
     * certificate files that do not exist. One built with TLS fails to load them; one without does
     * not know the directive, or says it has no TLS.
     *
     * @throws PreflightException (nothing was created) when the server cannot serve TLS
     */
    void requireTls(Backend backend) {
        Optional<String> output = backend.runOnce(image, binary, List.of("--port", "0", "--tls-port", "6379",
                "--tls-cert-file", "/nonexistent/redisha.crt", "--tls-key-file", "/nonexistent/redisha.key",
                "--tls-ca-cert-file", "/nonexistent/redisha-ca.crt"));
        if (output.isEmpty() || !tlsCapable(output.get())) {
            throw new PreflightException("image " + image + " (topology `image`) runs " + describe()
                    + " built without TLS, and tls.enabled is true (nothing was created)");
        }
    }

    /** Whether a server's output, started with missing certificate files, shows it tried to load them. */
    static boolean tlsCapable(String output) {
        String lower = output.toLowerCase(Locale.ROOT);
        return lower.contains("redisha.crt") && !lower.contains("bad directive") && !lower.contains("not supported");
    }

    /** Why redisha cannot run this server, or null when it can. */
    static String refusal(ServerImage server) {
        int[] v = numbers(server.version());
        if (server.flavour().equals("redis") && (v[0] < 6 || (v[0] == 6 && v[1] < 2))) {
            return "redisha needs Redis 6.2 or later: older Sentinels cannot monitor a DNS name "
                    + "(no `sentinel resolve-hostnames`)";
        }
        return null;
    }

    /** Compares "7.0.15" with "8.2.1" by their numbers: negative when a is older. */
    static int compareVersions(String a, String b) {
        int[] x = numbers(a);
        int[] y = numbers(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    /** The major version: 7 of "7.0.15". */
    int major() {
        return numbers(version)[0];
    }

    private static int[] numbers(String version) {
        String[] parts = version.split("[^0-9]+");
        int[] v = new int[3];
        for (int i = 0; i < 3 && i < parts.length; i++) {
            v[i] = parts[i].isEmpty() ? 0 : Integer.parseInt(parts[i]);
        }
        return v;
    }

    private static String baseName(String program) {
        return program.substring(program.lastIndexOf('/') + 1);
    }

    private static String firstLine(String output) {
        String line = output.strip().lines().findFirst().orElse("(nothing)");
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
