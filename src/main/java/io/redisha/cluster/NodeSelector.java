package io.redisha.cluster;

import io.redisha.backend.Node;
import io.redisha.backend.Service;
import io.redisha.sentinel.RedisNodes;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The names users give nodes on the command line: {@code master-1}, {@code replica-2},
 * {@code sentinel-3} (as {@code status} shows them, without the project), the container's name,
 * {@code master} for whichever node the Sentinels name master now, and, where several nodes may be
 * meant, {@code sentinels} and {@code replicas}.
 */
public final class NodeSelector {
    /** The node the Sentinels name master now. */
    public static final String CURRENT_MASTER = "master";
    private static final Pattern SLOT = Pattern.compile("(master|replica|slave|sentinel)-([0-9]{1,6})");
    private static final Set<String> SENTINELS = Set.of("sentinel", "sentinels");
    private static final Set<String> REPLICAS = Set.of("replica", "replicas", "slave", "slaves");

    private final Deployment deployment;
    private final Supplier<Optional<Node>> currentMaster;
    private Optional<Node> master;

    /** @param currentMaster the node the Sentinels name master, asked at most once and only when needed */
    public NodeSelector(Deployment deployment, Supplier<Optional<Node>> currentMaster) {
        this.deployment = deployment;
        this.currentMaster = currentMaster;
    }

    /** Names through the Sentinels that {@code redis} reaches. */
    public static NodeSelector of(Deployment deployment, RedisNodes redis) {
        return new NodeSelector(deployment, () -> namedMaster(deployment, address -> {
            try {
                return redis.namedMaster(address.nameAddress());
            } catch (JedisException e) {
                return Optional.empty();
            }
        }));
    }

    /** "master-1": the node's service and index, the way users name it. */
    public static String shortName(Node node) {
        return node.service().label() + "-" + node.index();
    }

    /** Whether the argument has the form of a single node's name (a command line tells it from a Redis command so). */
    public static boolean looksLikeNode(String argument, String project) {
        return CURRENT_MASTER.equals(argument) || SLOT.matcher(argument).matches()
                || argument.startsWith(project + "-");
    }

    /** Every node when no name is given (Redis servers, then Sentinels); else the named ones, each once, in the order named. */
    public List<Node> select(List<String> names) {
        if (names.isEmpty()) {
            return deployment.nodes();
        }
        Set<Node> chosen = new LinkedHashSet<>();
        for (String name : names) {
            String n = name.toLowerCase(Locale.ROOT);
            if (SENTINELS.contains(n)) {
                chosen.addAll(deployment.sentinels());
            } else if (REPLICAS.contains(n)) {
                Node m = master().orElse(null);
                deployment.redisNodes().stream().filter(r -> !r.equals(m)).forEach(chosen::add);
            } else {
                chosen.add(one(name));
            }
        }
        return List.copyOf(chosen);
    }

    /**
     * The one node a name means.
     *
     * @throws NoSuchNodeException  when it names none
     * @throws NotReadyException    for {@code master} when no Sentinel names one of the nodes
     */
    public Node one(String name) {
        if (CURRENT_MASTER.equals(name)) {
            return master().orElseThrow(() -> new NotReadyException("no Sentinel names a master of project "
                    + deployment.project() + " (redisha status tells why)"));
        }
        Matcher slot = SLOT.matcher(name);
        if (slot.matches()) {
            Service service = "slave".equals(slot.group(1)) ? Service.REPLICA
                    : Service.fromLabel(slot.group(1)).orElseThrow();
            Optional<Node> found = deployment.find(service, Integer.parseInt(slot.group(2)));
            if (found.isPresent()) {
                return found.get();
            }
        }
        return deployment.named(name).orElseThrow(() -> new NoSuchNodeException("no node named '" + name
                + "' in project " + deployment.project() + "; the nodes are " + known()));
    }

    private Optional<Node> master() {
        if (master == null) {
            master = currentMaster.get();
        }
        return master;
    }

    private String known() {
        List<String> names = new ArrayList<>(List.of(CURRENT_MASTER));
        deployment.nodes().forEach(n -> names.add(shortName(n)));
        names.add("sentinels");
        names.add("replicas");
        return String.join(", ", names);
    }

    /** The node most running Sentinels name master; empty when none names one of the deployment's nodes. */
    static Optional<Node> namedMaster(Deployment deployment, Function<Node, Optional<String>> askSentinel) {
        Map<Node, Long> votes = deployment.sentinels().stream().filter(Node::isRunning)
                .map(askSentinel).flatMap(Optional::stream)
                .map(address -> deployment.byAddress(address).orElse(null)).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
    }
}
