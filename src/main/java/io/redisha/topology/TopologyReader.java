package io.redisha.topology;

import static io.redisha.topology.YamlDocument.describe;
import static io.redisha.topology.YamlDocument.describeType;
import static io.redisha.topology.YamlDocument.isNull;
import static io.redisha.topology.YamlDocument.line;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
  * Reads a composed YAML tree into a {@link Topology}: keys, types and shapes, remembering the
  * line of every path. A value that cannot be read is replaced by its default and its path is
  * recorded as broken, so that range checks do not pile a second message on the same mistake.
  */
final class TopologyReader {

    static final List<String> TOP_KEYS = List.of("project", "image", "bind", "master", "replicas", "sentinels",
            "auth", "persistence", "resources", "platform", "swarm", "tls", "metrics");
    static final List<String> MASTER_KEYS =
            List.of("host-port", "min-replicas-to-write", "min-replicas-max-lag", "restart-protection");
    static final List<String> REPLICA_KEYS = List.of("count", "host-ports", "priorities");
    static final List<String> SENTINEL_KEYS = List.of("count", "quorum", "master-name",
            "down-after-milliseconds", "failover-timeout", "parallel-syncs", "host-ports");
    static final List<String> AUTH_KEYS =
            List.of("password-env", "password-file", "sentinel-password-env", "sentinel-password-file", "users");
    static final List<String> USER_KEYS = List.of("password-env", "password-file", "rules");
    static final List<String> TLS_KEYS = List.of("enabled", "auth-clients", "dir", "ca-cert-file", "ca-key-file",
            "cert-file", "key-file", "validity-days", "renew-within-days");
    static final List<String> METRICS_KEYS = List.of("enabled", "image", "port");
    static final List<String> RESOURCE_KEYS = List.of("memory", "maxmemory", "maxmemory-policy");
    static final List<String> SWARM_KEYS = List.of("accept-risk", "dial", "engines");
    static final List<String> PLATFORM_VALUES = List.of(Platform.DOCKER, Platform.SWARM);
    static final List<String> PERSISTENCE_VALUES = List.of("off", "rdb", "aof");

    static final String INLINE_PASSWORD =
            "do not write the password in the topology; use auth.password-env or auth.password-file";
    static final String INLINE_SENTINEL_PASSWORD =
            "do not write the password in the topology; use auth.sentinel-password-env or auth.sentinel-password-file";
    /** Keys (lowercase, without - and _) that would hold a password written inline. */
    private static final Set<String> PASSWORD_KEYS =
            Set.of("password", "pass", "passwd", "requirepass", "masterauth", "authpass", "redispassword");
    private static final Set<String> SENTINEL_PASSWORD_KEYS =
            Set.of("sentinelpassword", "sentinelpass", "sentinelpasswd", "sentinelrequirepass");

    /** The original recipe's names for what redisha calls replicas. */
    private static final Map<String, String> SYNONYMS = Map.of("slave", "replicas", "slaves", "replicas");

    record Result(Topology topology, List<Problem> problems, Map<String, Integer> lines, Set<String> broken) {

        /** The line of {@code path}, or of the nearest enclosing key the file has. */
        Integer lineOf(String path) {
            for (String p = path; !p.isEmpty(); p = parent(p)) {
                Integer line = lines.get(p);
                if (line != null) {
                    return line;
                }
            }
            return null;
        }

        boolean isBroken(String path) {
            for (String p = path; ; p = parent(p)) {
                if (broken.contains(p)) {
                    return true;
                }
                if (p.isEmpty()) {
                    return false;
                }
            }
        }

        private static String parent(String path) {
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            return cut < 0 ? "" : path.substring(0, cut);
        }
    }

    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Integer> lines = new HashMap<>();
    private final Set<String> broken = new HashSet<>();
    private final ScalarConstructor scalars = new ScalarConstructor();

    private TopologyReader() {}

    static Result read(Node root) {
        TopologyReader reader = new TopologyReader();
        Topology topology = reader.root(root);
        return new Result(topology, List.copyOf(reader.problems), Map.copyOf(reader.lines),
                Set.copyOf(reader.broken));
    }

    private Topology root(Node root) {
        Topology defaults = Topology.defaults();
        if (isNull(root)) {
            return defaults;
        }
        if (!YamlDocument.isPlainTag(root)) {
            fail("", line(root), "unsupported YAML tag " + YamlDocument.shortTag(root) + " at line "
                    + line(root) + ": custom tags are not allowed");
            return defaults;
        }
        if (!(root instanceof MappingNode mapping)) {
            fail("", line(root), "the top level must be a mapping of keys such as replicas: and "
                    + "sentinels:, got " + describe(root) + " at line " + line(root));
            return defaults;
        }
        Map<String, Node> values = entries(mapping, "", TOP_KEYS);
        return new Topology(
                string(values, "project", defaults.project()),
                string(values, "image", defaults.image()),
                string(values, "bind", defaults.bind()),
                master(values.get("master")),
                replicas(values.get("replicas")),
                sentinels(values.get("sentinels")),
                auth(values.get("auth")),
                persistence(values.get("persistence")),
                resources(values.get("resources")),
                platform(values),
                tls(values.get("tls")),
                metrics(values.get("metrics")));
    }

    private Metrics metrics(Node node) {
        Metrics off = Metrics.off();
        MappingNode mapping = section(node, "metrics", false);
        if (mapping == null) {
            return off;
        }
        Map<String, Node> values = entries(mapping, "metrics", METRICS_KEYS);
        return new Metrics(bool(values, "metrics.enabled", false), string(values, "metrics.image", off.image()),
                integer(values, "metrics.port", null));
    }

    private Tls tls(Node node) {
        Tls off = Tls.off();
        MappingNode mapping = section(node, "tls", false);
        if (mapping == null) {
            return off;
        }
        Map<String, Node> values = entries(mapping, "tls", TLS_KEYS);
        return new Tls(
                bool(values, "tls.enabled", false),
                authClients(values.get("auth-clients")),
                string(values, "tls.dir", off.dir()),
                reference(values, "tls.ca-cert-file", "a file path"),
                reference(values, "tls.ca-key-file", "a file path"),
                reference(values, "tls.cert-file", "a file path"),
                reference(values, "tls.key-file", "a file path"),
                integer(values, "tls.validity-days", off.validityDays()),
                integer(values, "tls.renew-within-days", off.renewWithinDays()));
    }

    /** YAML 1.1 reads a bare {@code no} or {@code yes} as a boolean, so those mean Redis' words too. */
    private Tls.AuthClients authClients(Node node) {
        String path = "tls.auth-clients";
        Integer line = lines.get(path);
        if (node == null || !plainTag(node, path, line) || isNull(node)) {
            return Tls.AuthClients.YES;
        }
        if (node instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
            return Boolean.TRUE.equals(scalars.construct(scalar)) ? Tls.AuthClients.YES : Tls.AuthClients.NO;
        }
        if (node instanceof ScalarNode scalar && Tag.STR.equals(scalar.getTag())
                && Tls.AuthClients.WORDS.contains(scalar.getValue())) {
            return Tls.AuthClients.valueOf(scalar.getValue().toUpperCase(Locale.ROOT));
        }
        fail(path, line, "expected no, optional or yes, got " + describe(node));
        return Tls.AuthClients.YES;
    }

    private Platform platform(Map<String, Node> values) {
        String name = string(values, "platform", Platform.DOCKER);
        if (!PLATFORM_VALUES.contains(name) && !broken.contains("platform")) {
            String suggestion = suggest(name, "platform", PLATFORM_VALUES);
            fail("platform", lines.get("platform"), YamlDocument.quote(name) + " is not one of docker, swarm"
                    + (suggestion == null ? "" : "; did you mean \"" + suggestion + "\"?"));
            name = Platform.DOCKER;
        }
        MappingNode mapping = section(values.get("swarm"), "swarm", false);
        if (mapping == null) {
            return new Platform(name, false, Map.of(), Map.of());
        }
        Map<String, Node> swarm = entries(mapping, "swarm", SWARM_KEYS);
        return new Platform(name, bool(swarm, "swarm.accept-risk", false),
                hostMap(swarm.get("dial"), "swarm.dial", "ADDRESS or ADDRESS+OFFSET such as 127.0.0.1+100"),
                hostMap(swarm.get("engines"), "swarm.engines", "a Docker host such as unix:///run/docker.sock"));
    }

    private boolean bool(Map<String, Node> values, String path, boolean defaultValue) {
        Node node = values.get(lastKey(path));
        Integer line = lines.get(path);
        if (node == null || !plainTag(node, path, line) || isNull(node)) {
            return defaultValue;
        }
        if (node instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
            return Boolean.TRUE.equals(scalars.construct(scalar));
        }
        fail(path, line, "expected true or false, got " + describe(node));
        return defaultValue;
    }

    /** Swarm node hostname to a string (swarm.dial, swarm.engines); shapes here, values in {@link TopologyRules}. */
    private Map<String, String> hostMap(Node node, String path, String expected) {
        Integer line = lines.get(path);
        if (node == null || !plainTag(node, path, line) || isNull(node)) {
            return Map.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            fail(path, line, "expected a mapping of swarm node hostnames to " + expected + ", got " + describe(node));
            return Map.of();
        }
        Map<String, String> dial = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key) || !Tag.STR.equals(key.getTag())) {
                fail(path, line(keyNode), "hostnames must be plain strings, got " + describe(keyNode));
                continue;
            }
            String itemPath = join(path, YamlDocument.pathKey(key.getValue()));
            int itemLine = line(keyNode);
            lines.put(itemPath, itemLine);
            Node value = tuple.getValueNode();
            if (dial.containsKey(key.getValue())) {
                fail(itemPath, itemLine, "duplicate key");
            } else if (value instanceof ScalarNode scalar && Tag.STR.equals(scalar.getTag())) {
                dial.put(key.getValue(), scalar.getValue());
            } else {
                fail(itemPath, itemLine, "expected " + expected + ", got " + describe(value));
            }
        }
        return dial;
    }

    private Master master(Node node) {
        Master defaults = Master.defaults();
        MappingNode mapping = section(node, "master", false);
        if (mapping == null) {
            return defaults;
        }
        Map<String, Node> values = entries(mapping, "master", MASTER_KEYS);
        return new Master(
                integer(values, "master.host-port", defaults.hostPort()),
                integer(values, "master.min-replicas-to-write", defaults.minReplicasToWrite()),
                integer(values, "master.min-replicas-max-lag", defaults.minReplicasMaxLag()),
                bool(values, "master.restart-protection", defaults.restartProtection()));
    }

    private Replicas replicas(Node node) {
        Replicas defaults = Replicas.defaults();
        if (isCountShorthand(node)) {
            return new Replicas(shorthandCount(node, "replicas", defaults.count()), List.of(), List.of());
        }
        MappingNode mapping = section(node, "replicas", true);
        if (mapping == null) {
            return defaults;
        }
        Map<String, Node> values = entries(mapping, "replicas", REPLICA_KEYS);
        return new Replicas(
                integer(values, "replicas.count", defaults.count()),
                ports(values.get("host-ports"), "replicas.host-ports"),
                integers(values.get("priorities"), "replicas.priorities", "a list of priorities"));
    }

    private Sentinels sentinels(Node node) {
        Sentinels defaults = Sentinels.defaults();
        if (isCountShorthand(node)) {
            Sentinels d = defaults;
            return new Sentinels(shorthandCount(node, "sentinels", d.count()), d.quorum(), d.masterName(),
                    d.downAfterMillis(), d.failoverTimeoutMillis(), d.parallelSyncs(), d.hostPorts());
        }
        MappingNode mapping = section(node, "sentinels", true);
        if (mapping == null) {
            return defaults;
        }
        Map<String, Node> values = entries(mapping, "sentinels", SENTINEL_KEYS);
        return new Sentinels(
                integer(values, "sentinels.count", defaults.count()),
                integer(values, "sentinels.quorum", defaults.quorum()),
                string(values, "sentinels.master-name", defaults.masterName()),
                integer(values, "sentinels.down-after-milliseconds", defaults.downAfterMillis()),
                integer(values, "sentinels.failover-timeout", defaults.failoverTimeoutMillis()),
                integer(values, "sentinels.parallel-syncs", defaults.parallelSyncs()),
                ports(values.get("host-ports"), "sentinels.host-ports"));
    }

    /** Type errors here never show the value: it may be a password written in the wrong place. */
    private Auth auth(Node node) {
        Integer line = lines.get("auth");
        if (node == null || !plainTag(node, "auth", line) || isNull(node)) {
            return Auth.none();
        }
        if (!(node instanceof MappingNode mapping)) {
            fail("auth", line, "expected a mapping, got " + describeType(node)
                    + (node instanceof ScalarNode ? ": " + INLINE_PASSWORD : ""));
            return Auth.none();
        }
        Map<String, Node> values = entries(mapping, "auth", AUTH_KEYS);
        return new Auth(
                reference(values, "auth.password-env", "the name of an environment variable"),
                reference(values, "auth.password-file", "a file path"),
                reference(values, "auth.sentinel-password-env", "the name of an environment variable"),
                reference(values, "auth.sentinel-password-file", "a file path"),
                users(values.get("users")));
    }

    /** {@code auth.users}: a mapping of user names to their password source and rules. */
    private Map<String, User> users(Node node) {
        String path = "auth.users";
        Integer line = lines.get(path);
        if (node == null || !plainTag(node, path, line) || isNull(node)) {
            return Map.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            fail(path, line, "expected a mapping of user names to their password-file or password-env and rules, got "
                    + describeType(node));
            return Map.of();
        }
        Map<String, User> users = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key) || !Tag.STR.equals(key.getTag())) {
                fail(path, line(keyNode), "user names must be plain strings, got " + describeType(keyNode));
                continue;
            }
            String name = key.getValue();
            String userPath = join(path, YamlDocument.pathKey(name));
            lines.put(userPath, line(keyNode));
            if (users.containsKey(name)) {
                fail(userPath, line(keyNode), "duplicate key");
                continue;
            }
            Node value = tuple.getValueNode();
            if (!(value instanceof MappingNode userMapping)) {
                fail(userPath, line(keyNode), "expected a mapping with password-file or password-env (and rules), got "
                        + describeType(value) + (value instanceof ScalarNode ? ": " + INLINE_PASSWORD : ""));
                continue;
            }
            Map<String, Node> values = entries(userMapping, userPath, USER_KEYS);
            users.put(name, new User(name,
                    reference(values, userPath + ".password-env", "the name of an environment variable"),
                    reference(values, userPath + ".password-file", "a file path"),
                    reference(values, userPath + ".rules", "ACL rules such as ~app:* +@all -@dangerous")));
        }
        return users;
    }

    private String reference(Map<String, Node> values, String path, String expected) {
        Node node = values.get(lastKey(path));
        Integer line = lines.get(path);
        if (node == null || !plainTag(node, path, line) || isNull(node)) {
            return null;
        }
        if (node instanceof ScalarNode scalar && Tag.STR.equals(scalar.getTag())) {
            return scalar.getValue();
        }
        fail(path, line, "expected " + expected + ", got " + describeType(node));
        return null;
    }

    /** YAML 1.1 reads a bare {@code off} as boolean false, so false means off too. */
    private Persistence persistence(Node node) {
        String path = "persistence";
        Integer line = lines.get(path);
        if (node == null || !plainTag(node, path, line) || isNull(node)) {
            return Topology.DEFAULT_PERSISTENCE;
        }
        if (node instanceof ScalarNode scalar && Tag.BOOL.equals(scalar.getTag())) {
            if (Boolean.FALSE.equals(scalars.construct(scalar))) {
                return Persistence.OFF;
            }
            fail(path, line, "expected off, rdb or aof, got " + describe(node)
                    + ": write rdb (snapshots) or aof (append-only file)");
            return Topology.DEFAULT_PERSISTENCE;
        }
        if (node instanceof ScalarNode scalar && Tag.STR.equals(scalar.getTag())) {
            String value = scalar.getValue();
            if (PERSISTENCE_VALUES.contains(value)) {
                return Persistence.valueOf(value.toUpperCase(Locale.ROOT));
            }
            String suggestion = suggest(value, path, PERSISTENCE_VALUES);
            fail(path, line, YamlDocument.quote(value) + " is not one of off, rdb, aof"
                    + (suggestion == null ? "" : "; did you mean \"" + suggestion + "\"?"));
            return Topology.DEFAULT_PERSISTENCE;
        }
        fail(path, line, "expected off, rdb or aof, got " + describe(node));
        return Topology.DEFAULT_PERSISTENCE;
    }

    private Resources resources(Node node) {
        MappingNode mapping = section(node, "resources", false);
        if (mapping == null) {
            return Resources.defaults();
        }
        Map<String, Node> values = entries(mapping, "resources", RESOURCE_KEYS);
        return new Resources(
                size(values, "resources.memory"),
                size(values, "resources.maxmemory"),
                string(values, "resources.maxmemory-policy", Resources.DEFAULT_MAXMEMORY_POLICY));
    }

    /** A number of bytes, or text such as {@code 256m}; see {@link Sizes}. */
    private Long size(Map<String, Node> values, String path) {
        Node node = values.get(lastKey(path));
        Integer line = lines.get(path);
        if (node == null || !plainTag(node, path, line) || isNull(node)) {
            return null;
        }
        if (node instanceof ScalarNode scalar && Tag.INT.equals(scalar.getTag())) {
            Number value = integer(scalar, path, line);
            if (value == null) {
                return null;
            }
            return value instanceof Integer || value instanceof Long ? Long.valueOf(value.longValue()) : outOfRange(scalar, path, line);
        }
        if (node instanceof ScalarNode scalar && Tag.STR.equals(scalar.getTag())) {
            try {
                return Sizes.parse(scalar.getValue());
            } catch (Sizes.SizeException e) {
                fail(path, line, e.getMessage());
                return null;
            }
        }
        fail(path, line, "expected a size such as 256m, 1g or a number of bytes, got " + describe(node));
        return null;
    }

    /** An !!int scalar as the number SnakeYAML reads (Integer, Long or BigInteger); null, with a problem, when unreadable. */
    private Number integer(ScalarNode scalar, String path, Integer line) {
        try {
            return (Number) scalars.construct(scalar);
        } catch (RuntimeException e) {
            fail(path, line, "cannot read " + YamlDocument.quote(scalar.getValue()) + " as an integer");
            return null;
        }
    }

    private Long outOfRange(ScalarNode scalar, String path, Integer line) {
        fail(path, line, "integer " + scalar.getValue() + " is out of range");
        return null;
    }

    private static boolean isCountShorthand(Node node) {
        return node instanceof ScalarNode && Tag.INT.equals(node.getTag());
    }

    private int shorthandCount(Node node, String section, int defaultCount) {
        String path = section + ".count";
        lines.put(path, lines.get(section));
        return integerValue(node, path, lines.get(section), defaultCount, true);
    }

    /** The mapping of a section, or null for an absent, null or unreadable one (defaults apply). */
    private MappingNode section(Node node, String path, boolean countShorthandAllowed) {
        Integer line = lines.get(path);
        if (node == null || !plainTag(node, path, line) || isNull(node)) {
            return null;
        }
        if (node instanceof MappingNode mapping) {
            return mapping;
        }
        fail(path, line, (countShorthandAllowed ? "expected a count or a mapping, got " : "expected a mapping, got ")
                + describe(node));
        return null;
    }

    /** The values of the known keys; reports unknown, duplicate and non-string keys. */
    private Map<String, Node> entries(MappingNode mapping, String prefix, List<String> known) {
        Map<String, Node> values = new LinkedHashMap<>();
        Map<String, Integer> firstLines = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            int line = line(keyNode);
            if (Tag.MERGE.equals(keyNode.getTag())) {
                fail(join(prefix, "<<"), line, "merge keys (<<) are not supported; write the keys out");
                continue;
            }
            if (!(keyNode instanceof ScalarNode key) || !Tag.STR.equals(key.getTag())) {
                String shown = keyNode instanceof ScalarNode scalar ? scalar.getValue() : "?";
                fail(join(prefix, shown), line, "keys must be plain strings, got " + describe(keyNode));
                continue;
            }
            String path = join(prefix, YamlDocument.pathKey(key.getValue()));
            Integer first = firstLines.putIfAbsent(key.getValue(), line);
            if (first != null) {
                fail(path, line, "duplicate key (first defined at line " + first + ")");
                continue;
            }
            if (!known.contains(key.getValue())) {
                String inline = inlinePassword(key.getValue(), prefix);
                problems.add(new Problem(path, line, inline != null ? inline : unknownKey(key.getValue(), prefix, known)));
                continue;
            }
            lines.put(path, line);
            values.put(key.getValue(), tuple.getValueNode());
        }
        return values;
    }

    private String string(Map<String, Node> values, String path, String defaultValue) {
        Node node = values.get(lastKey(path));
        Integer line = lines.get(path);
        if (node == null || !plainTag(node, path, line) || isNull(node)) {
            return defaultValue;
        }
        if (node instanceof ScalarNode scalar && Tag.STR.equals(scalar.getTag())) {
            return scalar.getValue();
        }
        String hint = node instanceof ScalarNode ? "; quote it if it is meant as text" : "";
        fail(path, line, "expected a string, got " + describe(node) + hint);
        return defaultValue;
    }

    private Integer integer(Map<String, Node> values, String path, Integer defaultValue) {
        Node node = values.get(lastKey(path));
        return node == null ? defaultValue : integerValue(node, path, lines.get(path), defaultValue, true);
    }

    private Integer integerValue(Node node, String path, Integer line, Integer defaultValue, boolean nullMeansDefault) {
        if (!plainTag(node, path, line)) {
            return defaultValue;
        }
        if (isNull(node) && nullMeansDefault) {
            return defaultValue;
        }
        if (node instanceof ScalarNode scalar && Tag.INT.equals(scalar.getTag())) {
            Number value = integer(scalar, path, line);
            if (value instanceof Integer i) {
                return i;
            }
            if (value != null) {
                outOfRange(scalar, path, line);
            }
            return defaultValue;
        }
        fail(path, line, "expected an integer, got " + describe(node));
        return defaultValue;
    }

    private List<Integer> ports(Node node, String path) {
        return integers(node, path, "a list of port numbers");
    }

    private List<Integer> integers(Node node, String path, String expected) {
        Integer line = lines.get(path);
        if (node == null || !plainTag(node, path, line) || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            fail(path, line, "expected " + expected + ", got " + describe(node));
            return List.of();
        }
        List<Integer> ports = new ArrayList<>();
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = path + "[" + i + "]";
            int itemLine = line(items.get(i));
            lines.put(itemPath, itemLine);
            Integer port = integerValue(items.get(i), itemPath, itemLine, null, false);
            if (port != null) {
                ports.add(port);
            }
        }
        if (ports.size() < items.size()) {
            // dropping an entry would shift every later one onto the wrong instance
            broken.add(path);
            return List.of();
        }
        return ports;
    }

    private boolean plainTag(Node node, String path, Integer line) {
        if (YamlDocument.isPlainTag(node)) {
            return true;
        }
        fail(path, line, "unsupported YAML tag " + YamlDocument.shortTag(node) + ": custom tags are not allowed");
        return false;
    }

    private void fail(String path, Integer line, String message) {
        problems.add(new Problem(path, line, message));
        broken.add(path);
    }

    /** The advice for a key that would hold a password written inline, or null for any other key. */
    static String inlinePassword(String key, String prefix) {
        String normalized = normalize(key);
        boolean sentinelSection = prefix.equals("sentinels");
        if (SENTINEL_PASSWORD_KEYS.contains(normalized)
                || (sentinelSection && PASSWORD_KEYS.contains(normalized) && !normalized.equals("authpass"))) {
            return INLINE_SENTINEL_PASSWORD;
        }
        return PASSWORD_KEYS.contains(normalized) ? INLINE_PASSWORD : null;
    }

    static String unknownKey(String key, String prefix, List<String> known) {
        String suggestion = suggest(key, prefix, known);
        return suggestion != null
                ? "unknown key; did you mean \"" + suggestion + "\"?"
                : "unknown key; expected one of: " + String.join(", ", known);
    }

    static String suggest(String key, String prefix, List<String> known) {
        if (prefix.isEmpty() && SYNONYMS.containsKey(key.toLowerCase(Locale.ROOT))) {
            return SYNONYMS.get(key.toLowerCase(Locale.ROOT));
        }
        String normalized = normalize(key);
        for (String candidate : known) {
            if (normalize(candidate).equals(normalized)) {
                return candidate;
            }
        }
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int distance = editDistance(key.toLowerCase(Locale.ROOT), candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    private static String lastKey(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** SafeConstructor's own reading of YAML integers (0x1f, 0o17, 1_000 and the like) and booleans. */
    private static final class ScalarConstructor extends SafeConstructor {
        ScalarConstructor() {
            super(YamlDocument.options());
        }

        Object construct(ScalarNode node) {
            return constructObject(node);
        }
    }
}
