package io.redisha.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The semantic checks: ranges, names, and how the parts fit together. */
final class TopologyRules {

    /**
      * A problem and every path it depends on; the loader drops it when one of those paths
      * could not be read, since it would then be about a default the user never wrote.
      */
    record Finding(String path, String message, Set<String> involves) {
        Finding(String path, String message) {
            this(path, message, Set.of(path));
        }
    }

    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,39}");
    private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    static final long MIN_MEMORY_BYTES = 16 * Sizes.MIB;
    static final long MIN_MAXMEMORY_BYTES = Sizes.MIB;
    private static final Pattern IPV4 = Pattern.compile(
            "(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
                    + "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    // The grammar of github.com/distribution/reference (regexp.go).
    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern IMAGE =
            Pattern.compile("(" + NAME + ")(?::" + TAG + ")?(?:@" + DIGEST + ")?");
    private static final int MAX_IMAGE_NAME_LENGTH = 255;

    private TopologyRules() {}

    static List<Finding> check(Topology t) {
        List<Finding> findings = new ArrayList<>();
        if (!PROJECT.matcher(t.project()).matches()) {
            findings.add(new Finding("project", YamlDocument.quote(t.project()) + " is not a valid project name:"
                    + " use 1 to 40 characters from a-z 0-9 _ . - starting with a letter or digit"));
        }
        if (!isImageReference(t.image())) {
            findings.add(new Finding("image", YamlDocument.quote(t.image()) + " is not a valid Docker image"
                    + " reference: expected name[:tag][@digest] with a lowercase name, e.g. redis:7"));
        }
        if (!IPV4.matcher(t.bind()).matches()) {
            findings.add(new Finding("bind", YamlDocument.quote(t.bind())
                    + " is not an IPv4 address such as 127.0.0.1"));
        }

        Master master = t.master();
        port(findings, "master.host-port", master.hostPort());
        atLeast(findings, "master.min-replicas-to-write", master.minReplicasToWrite(), 0);
        atLeast(findings, "master.min-replicas-max-lag", master.minReplicasMaxLag(), 1);

        Replicas replicas = t.replicas();
        atLeast(findings, "replicas.count", replicas.count(), 0);
        ports(findings, "replicas", replicas.hostPorts(), replicas.count(), "replica");
        priorities(findings, replicas);

        Sentinels sentinels = t.sentinels();
        atLeast(findings, "sentinels.count", sentinels.count(), 1);
        atLeast(findings, "sentinels.quorum", sentinels.quorum(), 1);
        if (sentinels.count() >= 1 && sentinels.quorum() > sentinels.count()) {
            findings.add(new Finding("sentinels.quorum", sentinels.quorum() + " is more than the "
                    + plural(sentinels.count(), "sentinel"), Set.of("sentinels.quorum", "sentinels.count")));
        }
        if (sentinels.masterName().isEmpty()) {
            findings.add(new Finding("sentinels.master-name", "must not be empty"));
        } else if (!MASTER_NAME.matcher(sentinels.masterName()).matches()) {
            findings.add(new Finding("sentinels.master-name", YamlDocument.quote(sentinels.masterName())
                    + " is not a valid master name: use letters, digits and . - _ only"));
        }
        atLeast(findings, "sentinels.down-after-milliseconds", sentinels.downAfterMillis(), 1);
        atLeast(findings, "sentinels.failover-timeout", sentinels.failoverTimeoutMillis(), 1);
        atLeast(findings, "sentinels.parallel-syncs", sentinels.parallelSyncs(), 1);
        ports(findings, "sentinels", sentinels.hostPorts(), sentinels.count(), "sentinel");

        duplicatePorts(findings, t);

        Auth auth = t.auth();
        passwordSource(findings, "auth.password-env", auth.passwordEnv(), "auth.password-file", auth.passwordFile());
        passwordSource(findings, "auth.sentinel-password-env", auth.sentinelPasswordEnv(),
                "auth.sentinel-password-file", auth.sentinelPasswordFile());
        users(findings, auth);

        Resources resources = t.resources();
        minimumSize(findings, "resources.memory", resources.memoryBytes(), MIN_MEMORY_BYTES);
        minimumSize(findings, "resources.maxmemory", resources.maxmemoryBytes(), MIN_MAXMEMORY_BYTES);
        String policy = resources.maxmemoryPolicy();
        if (!Resources.MAXMEMORY_POLICIES.contains(policy)) {
            String suggestion = TopologyReader.suggest(policy, "resources", Resources.MAXMEMORY_POLICIES);
            findings.add(new Finding("resources.maxmemory-policy", YamlDocument.quote(policy)
                    + " is not a Redis maxmemory policy" + (suggestion != null ? "; did you mean \"" + suggestion + "\"?"
                            : "; expected one of: " + String.join(", ", Resources.MAXMEMORY_POLICIES))));
        }
        dial(findings, t.platform());
        engines(findings, t.platform());
        tls(findings, t.tls());
        metrics(findings, t);
        return findings;
    }

    /** {@code metrics}: an image to run, on one engine, and the exporters' own user when there are users. */
    private static void metrics(List<Finding> findings, Topology t) {
        Metrics metrics = t.metrics();
        if (metrics.image().isBlank()) {
            findings.add(new Finding("metrics.image", "must not be empty"));
        }
        Integer first = metrics.port();
        int sentinels = Math.max(t.sentinels().count(), 1);
        if (first != null && (first < 1 || first + Metrics.SENTINEL_OFFSET + sentinels - 1 > 65535)) {
            findings.add(new Finding("metrics.port", first + " is not a first port for the exporters: they take it up to "
                    + first + " + " + (Metrics.SENTINEL_OFFSET + sentinels - 1) + " (the Sentinels' from + "
                    + Metrics.SENTINEL_OFFSET + "), which must be port numbers (1 to 65535)"));
            first = null;
        }
        if (!metrics.enabled()) {
            return;
        }
        if (first != null && t.platform().isSwarm()) {
            // a host's nodes publish 6379 and 26379, and the next ports when they share a host
            int last = first + Metrics.SENTINEL_OFFSET + sentinels - 1;
            boolean redis = first <= 6379 + Math.max(t.replicas().count(), 0) && last >= 6379;
            boolean sentinel = first <= 26379 + sentinels && last >= 26379;
            if (redis || sentinel) {
                findings.add(new Finding("metrics.port", first + " to " + last + " would take ports the nodes publish on"
                        + " their hosts with platform: swarm (from 6379 and 26379)", Set.of("metrics.port", "platform")));
            }
        }
        boolean fixed = first != null || t.platform().isSwarm();
        if (fixed && t.replicas().count() >= Metrics.SENTINEL_OFFSET) {
            String path = first != null ? "metrics.port" : "metrics.enabled";
            findings.add(new Finding("replicas.count", t.replicas().count() + " replicas with fixed exporter ports ("
                    + (first != null ? "metrics.port" : "platform: swarm") + "): the Redis nodes' exporters take at most "
                    + Metrics.SENTINEL_OFFSET + " ports before the Sentinels' (at most " + (Metrics.SENTINEL_OFFSET - 1)
                    + " replicas)", Set.of("replicas.count", path)));
        }
        if (fixed) {
            exporterPortsFreeOfNodePorts(findings, t);
        }
        if (t.auth().hasUsers() && !t.auth().users().containsKey(Users.METRICS)) {
            findings.add(new Finding("auth.users", "lacks " + Users.METRICS + ": with metrics.enabled the exporters log in as "
                    + Users.METRICS + ", which needs a password-file or password-env (docs/metrics.md)",
                    Set.of("auth.users", "metrics.enabled")));
        }
    }

    /** A node's fixed host port that one of the exporters' fixed ports would take too (metrics.port). */
    private static void exporterPortsFreeOfNodePorts(List<Finding> findings, Topology t) {
        Map<Integer, String> exporters = new LinkedHashMap<>();
        boolean swarm = t.platform().isSwarm();
        for (int i = 0; i <= Math.max(t.replicas().count(), 0); i++) {
            exporters.put(t.metrics().hostPort(swarm, false, i), i == 0 ? "the master's exporter" : "replica " + i + "'s exporter");
        }
        for (int i = 1; i <= Math.max(t.sentinels().count(), 0); i++) {
            exporters.put(t.metrics().hostPort(swarm, true, i), "Sentinel " + i + "'s exporter");
        }
        Map<String, Integer> nodes = new LinkedHashMap<>();
        if (t.master().hostPort() != null) {
            nodes.put("master.host-port", t.master().hostPort());
        }
        for (int i = 0; i < t.replicas().hostPorts().size(); i++) {
            nodes.put("replicas.host-ports[" + i + "]", t.replicas().hostPorts().get(i));
        }
        for (int i = 0; i < t.sentinels().hostPorts().size(); i++) {
            nodes.put("sentinels.host-ports[" + i + "]", t.sentinels().hostPorts().get(i));
        }
        String metricsPath = t.metrics().port() != null ? "metrics.port" : "metrics.enabled";
        nodes.forEach((path, port) -> {
            String exporter = exporters.get(port);
            if (exporter != null) {
                findings.add(new Finding(path, "port " + port + " is also " + exporter + " (" + metricsPath + ")",
                        Set.of(path, metricsPath)));
            }
        });
    }

    /** {@code tls}: one source of certificates, sensible lifetimes; checked whether enabled or not. */
    private static void tls(List<Finding> findings, Tls tls) {
        for (String[] f : new String[][] {{"tls.dir", tls.dir()}, {"tls.ca-cert-file", tls.caCertFile()},
                {"tls.ca-key-file", tls.caKeyFile()}, {"tls.cert-file", tls.certFile()}, {"tls.key-file", tls.keyFile()}}) {
            if (f[1] != null && (f[1].isEmpty() || f[1].indexOf('\0') >= 0)) {
                findings.add(new Finding(f[0], f[1].isEmpty() ? "must not be empty" : "is not a valid file path"));
            }
        }
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
            boolean certOnly = tls.certFile() != null;
            findings.add(new Finding(certOnly ? "tls.cert-file" : "tls.key-file", "needs " + (certOnly ? "tls.key-file" : "tls.cert-file")
                    + ": give the certificate of the nodes and its key together", Set.of("tls.cert-file", "tls.key-file")));
        }
        if (tls.caKeyFile() != null && tls.caCertFile() == null) {
            findings.add(new Finding("tls.ca-key-file", "needs tls.ca-cert-file: give the CA's certificate and its key together",
                    Set.of("tls.ca-cert-file", "tls.ca-key-file")));
        }
        if (tls.certFile() != null && tls.caCertFile() == null) {
            findings.add(new Finding("tls.cert-file", "needs tls.ca-cert-file: the CA that signed it, which every node and client trusts",
                    Set.of("tls.ca-cert-file", "tls.cert-file")));
        }
        if (tls.certFile() != null && tls.caKeyFile() != null) {
            findings.add(new Finding("tls.ca-key-file", "and tls.cert-file are both set: give the CA's key (redisha issues the"
                    + " node certificates) or the nodes' certificate, not both", Set.of("tls.ca-key-file", "tls.cert-file")));
        }
        if (tls.caCertFile() != null && tls.caKeyFile() == null && tls.certFile() == null) {
            findings.add(new Finding("tls.ca-cert-file", "needs tls.ca-key-file (redisha issues the node certificates) or"
                    + " tls.cert-file and tls.key-file (the nodes' own certificate)", Set.of("tls.ca-cert-file")));
        }
        if (tls.validityDays() < 2 || tls.validityDays() > 3650) {
            findings.add(new Finding("tls.validity-days", tls.validityDays() + " is out of range: 2 to 3650 days"));
        } else if (tls.renewWithinDays() < 1 || tls.renewWithinDays() >= tls.validityDays()) {
            findings.add(new Finding("tls.renew-within-days", tls.renewWithinDays() + " is out of range: 1 to "
                    + (tls.validityDays() - 1) + " days (less than tls.validity-days, or every up would renew)",
                    Set.of("tls.renew-within-days", "tls.validity-days")));
        }
    }

    private static final Pattern HOSTNAME = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern DIAL = Pattern.compile("([^+\\s]+)(?:\\+([0-9]{1,5}))?");

    /** {@code swarm.dial}: hostnames to ADDRESS or ADDRESS+OFFSET, an address this machine can dial. */
    private static void dial(List<Finding> findings, Platform platform) {
        platform.dial().forEach((host, value) -> {
            String path = "swarm.dial." + YamlDocument.pathKey(host);
            if (!HOSTNAME.matcher(host).matches() || host.length() > 253) {
                findings.add(new Finding(path, YamlDocument.quote(host) + " is not a hostname"));
                return;
            }
            var m = DIAL.matcher(value);
            if (!m.matches() || !(IPV4.matcher(m.group(1)).matches() || HOSTNAME.matcher(m.group(1)).matches())) {
                findings.add(new Finding(path, YamlDocument.quote(value) + " is not ADDRESS or ADDRESS+OFFSET"
                        + " (an IPv4 address or hostname, then optionally + a port offset), e.g. 127.0.0.1+100"));
            } else if (m.group(2) != null && Integer.parseInt(m.group(2)) > 60000) {
                findings.add(new Finding(path, "port offset " + m.group(2) + " is more than 60000"));
            }
        });
    }

    private static final Pattern ENGINE = Pattern.compile("(unix:///|tcp://|npipe:////)\\S+");

    /** {@code swarm.engines}: hostnames to a DOCKER_HOST value for that host's own engine. */
    private static void engines(List<Finding> findings, Platform platform) {
        platform.engines().forEach((host, value) -> {
            String path = "swarm.engines." + YamlDocument.pathKey(host);
            if (!HOSTNAME.matcher(host).matches() || host.length() > 253) {
                findings.add(new Finding(path, YamlDocument.quote(host) + " is not a hostname"));
            } else if (!ENGINE.matcher(value).matches()) {
                findings.add(new Finding(path, YamlDocument.quote(value) + " is not a Docker host (unix:///PATH or"
                        + " tcp://HOST:PORT, as DOCKER_HOST)"));
            }
        });
    }

    /**
      * One source at most; the value is never shown, since a password written under the wrong
      * key is a likely mistake here.
      */
    private static void passwordSource(List<Finding> findings, String envPath, String env, String filePath,
            String file) {
        if (env != null && file != null) {
            findings.add(new Finding(filePath, "both " + envPath + " and " + filePath + " are set; keep one",
                    Set.of(envPath, filePath)));
        }
        if (env != null && !Passwords.isEnvName(env)) {
            findings.add(new Finding(envPath, env.isEmpty() ? "must not be empty" : Passwords.NOT_AN_ENV_NAME));
        }
        if (file != null && (file.isEmpty() || file.indexOf('\0') >= 0)) {
            findings.add(new Finding(filePath, file.isEmpty() ? "must not be empty" : "is not a valid file path"));
        }
    }

    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * {@code auth.users}: every component user declared with a password source, names a server accepts,
     * rules that leave the passwords to redisha, and the Sentinel and replication users allowed what
     * Sentinel and replication send (a rule set without it would let a failover silently never happen).
     */
    private static void users(List<Finding> findings, Auth auth) {
        if (!auth.hasUsers()) {
            return;
        }
        for (String[] key : new String[][] {{"auth.password-env", auth.passwordEnv()}, {"auth.password-file", auth.passwordFile()},
                {"auth.sentinel-password-env", auth.sentinelPasswordEnv()}, {"auth.sentinel-password-file", auth.sentinelPasswordFile()}}) {
            if (key[1] != null) {
                findings.add(new Finding(key[0], "cannot be combined with auth.users: with users every component logs in"
                        + " as its own user and the default user is off; remove it", Set.of(key[0], "auth.users")));
            }
        }
        for (String component : Users.COMPONENTS) {
            if (!auth.users().containsKey(component)) {
                findings.add(new Finding("auth.users", "lacks " + component + ": with users declared, each of "
                        + String.join(", ", Users.COMPONENTS) + " needs a password-file or password-env (docs/users.md)"));
            }
        }
        for (User user : auth.users().values()) {
            String path = "auth.users." + YamlDocument.pathKey(user.name());
            if (!USER_NAME.matcher(user.name()).matches() || user.name().equals("default")) {
                findings.add(new Finding(path, YamlDocument.quote(user.name()) + " is not a user name redisha can create:"
                        + " use 1 to 64 characters from A-Z a-z 0-9 _ - (and not default, which is off)"));
                continue;
            }
            if (user.passwordEnv() == null && user.passwordFile() == null) {
                findings.add(new Finding(path, "needs password-file or password-env"));
            }
            passwordSource(findings, path + ".password-env", user.passwordEnv(), path + ".password-file", user.passwordFile());
            String rulesPath = path + ".rules";
            if (user.rules() == null) {
                if (!Users.isComponent(user.name())) {
                    findings.add(new Finding(path, "needs rules: an application user's ACL rules, e.g. ~app:* +@all -@dangerous"));
                }
                continue;
            }
            if (user.name().equals(Users.ADMIN)) {
                findings.add(new Finding(rulesPath, "redisha's own user has every permission (" + Users.ADMIN_RULES
                        + "); remove rules"));
                continue;
            }
            if (user.name().equals(Users.METRICS)) {
                findings.add(new Finding(rulesPath, "the exporters' user has fixed rules, what redis_exporter sends"
                        + " (docs/metrics.md); remove rules"));
                continue;
            }
            List<String> words = AclRules.words(user.rules());
            if (words.isEmpty()) {
                findings.add(new Finding(rulesPath, "must not be empty"));
                continue;
            }
            String reserved = words.stream().map(AclRules::reserved).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (reserved != null) {
                findings.add(new Finding(rulesPath, "a rule " + reserved));
                continue;
            }
            String missing = AclRules.missingCommand(user.effectiveRules(),
                    user.name().equals(Users.SENTINEL) ? AclRules.SENTINEL_NEEDS
                            : user.name().equals(Users.REPLICATION) ? AclRules.REPLICATION_NEEDS : List.of());
            if (missing != null) {
                findings.add(new Finding(rulesPath, "does not allow " + missing + ", which "
                        + (user.name().equals(Users.SENTINEL) ? "Sentinel sends the Redis nodes" : "a replica sends its master")
                        + "; add +" + missing + " (minimal rules: " + Users.defaultRules(user.name()) + ")"));
            } else if (user.name().equals(Users.SENTINEL) && !AclRules.allowsChannel(user.rules(), Users.HELLO_CHANNEL)) {
                findings.add(new Finding(rulesPath, "does not allow the channel " + Users.HELLO_CHANNEL
                        + ", which the Sentinels say hello on; add allchannels or &" + Users.HELLO_CHANNEL));
            }
        }
    }

    private static void minimumSize(List<Finding> findings, String path, Long bytes, long min) {
        if (bytes != null && bytes < min) {
            findings.add(new Finding(path, Sizes.format(bytes) + " is below the minimum of " + Sizes.format(min)));
        }
    }

    private static void priorities(List<Finding> findings, Replicas replicas) {
        String path = "replicas.priorities";
        List<Integer> priorities = replicas.priorities();
        for (int i = 0; i < priorities.size(); i++) {
            int priority = priorities.get(i);
            if (priority < 0 || priority > Replicas.MAX_PRIORITY) {
                findings.add(new Finding(path + "[" + i + "]", priority + " is not a replica priority (0 to "
                        + Replicas.MAX_PRIORITY + "; 0 = never promoted)"));
            }
        }
        if (replicas.count() >= 0 && priorities.size() > replicas.count()) {
            findings.add(new Finding(path, plural(priorities.size(), "priority", "priorities") + " for "
                    + plural(replicas.count(), "replica") + ": entry i is the priority of replica i+1, so the list can be"
                    + " at most as long as the count", Set.of(path, "replicas.count")));
        }
    }

    static List<String> warnings(Topology t) {
        List<String> warnings = new ArrayList<>();
        int sentinels = t.sentinels().count();
        int quorum = t.sentinels().quorum();
        int majority = sentinels / 2 + 1;
        if (!t.master().restartProtection()) {
            warnings.add("master.restart-protection: off is unsafe: a master restarted before Sentinel notices comes"
                    + " back with only what it had on disk, and its replicas copy it (docs/running-safely.md, \"Restart before detection\")");
        }
        if (sentinels >= 1 && sentinels < 3) {
            warnings.add("sentinels.count: " + sentinels + (sentinels == 1 ? " Sentinel" : " Sentinels")
                    + " cannot survive losing one: a failover needs a majority of Sentinels; use at least 3");
        }
        if (sentinels >= 2 && sentinels % 2 == 0) {
            warnings.add("sentinels.count: an even number of Sentinels (" + sentinels + ") tolerates no more"
                    + " failures than " + (sentinels - 1) + "; prefer an odd number");
        }
        if (quorum >= 1 && quorum < majority && quorum <= sentinels) {
            warnings.add("sentinels.quorum: " + quorum + " is below a majority of the " + sentinels
                    + " Sentinels (" + majority + "): a minority can declare the master down");
        }
        if (t.replicas().count() == 0) {
            warnings.add("replicas.count: 0 replicas: nothing can be promoted when the master fails");
        }
        if (t.master().minReplicasToWrite() > t.replicas().count() && t.replicas().count() >= 0) {
            warnings.add("master.min-replicas-to-write: " + t.master().minReplicasToWrite() + " is more than the "
                    + plural(t.replicas().count(), "replica") + ": the master will refuse every write");
        }
        if (IPV4.matcher(t.bind()).matches() && !t.bind().startsWith("127.")) {
            if (!t.auth().redisAuth()) {
                warnings.add("bind: " + t.bind() + " publishes Redis beyond this host without a password"
                        + " (auth.password-env or auth.password-file)");
            }
            if (!t.auth().sentinelAuth()) {
                warnings.add("bind: " + t.bind() + " publishes Sentinel beyond this host without a password"
                        + " (auth.sentinel-password-env or auth.sentinel-password-file)");
            }
        }
        Replicas replicas = t.replicas();
        if (replicas.count() >= 1 && replicas.priorities().size() >= replicas.count()
                && replicas.priorities().subList(0, replicas.count()).stream().allMatch(p -> p == 0)) {
            warnings.add("replicas.priorities: every replica has priority 0: no replica can be promoted");
        }
        Long memory = t.resources().memoryBytes();
        Long maxmemory = t.resources().maxmemoryBytes();
        if (memory != null && maxmemory != null && maxmemory > memory) {
            warnings.add("resources.maxmemory: " + Sizes.format(maxmemory) + " is larger than the container memory"
                    + " limit " + Sizes.format(memory) + "; the kernel will kill Redis before it evicts");
        }
        return List.copyOf(warnings);
    }

    static boolean isImageReference(String image) {
        var matcher = IMAGE.matcher(image);
        return matcher.matches() && matcher.group(1).length() <= MAX_IMAGE_NAME_LENGTH;
    }

    private static String plural(int count, String noun) {
        return plural(count, noun, noun + "s");
    }

    private static String plural(int count, String one, String many) {
        return count + " " + (count == 1 ? one : many);
    }

    private static void atLeast(List<Finding> findings, String path, int value, int min) {
        if (value < min) {
            findings.add(new Finding(path, "must be " + (min == 0 ? "0 or more" : "at least " + min) + ", got " + value));
        }
    }

    private static void port(List<Finding> findings, String path, Integer port) {
        if (port != null && !isPort(port)) {
            findings.add(new Finding(path, port + " is not a port number (1 to 65535)"));
        }
    }

    private static boolean isPort(int port) {
        return port >= 1 && port <= 65535;
    }

    private static void ports(List<Finding> findings, String section, List<Integer> ports, int count, String noun) {
        String path = section + ".host-ports";
        for (int i = 0; i < ports.size(); i++) {
            port(findings, path + "[" + i + "]", ports.get(i));
        }
        if (count >= 0 && ports.size() > count) {
            findings.add(new Finding(path, plural(ports.size(), "host port") + " for " + plural(count, noun)
                    + ": entry i is the port of instance i+1, so the list can be at most as long as the count",
                    Set.of(path, section + ".count")));
        }
    }

    private static void duplicatePorts(List<Finding> findings, Topology t) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (t.master().hostPort() != null) {
            ports.put("master.host-port", t.master().hostPort());
        }
        for (int i = 0; i < t.replicas().hostPorts().size(); i++) {
            ports.put("replicas.host-ports[" + i + "]", t.replicas().hostPorts().get(i));
        }
        for (int i = 0; i < t.sentinels().hostPorts().size(); i++) {
            ports.put("sentinels.host-ports[" + i + "]", t.sentinels().hostPorts().get(i));
        }
        Map<Integer, String> firstUse = new LinkedHashMap<>();
        ports.forEach((path, port) -> {
            if (!isPort(port)) {
                return;
            }
            String first = firstUse.putIfAbsent(port, path);
            if (first != null) {
                findings.add(new Finding(path, "port " + port + " is already used by " + first, Set.of(path, first)));
            }
        });
    }
}
