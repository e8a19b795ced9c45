package io.redisha.cluster;

import io.redisha.backend.Backend;
import io.redisha.backend.EngineState;
import io.redisha.backend.Node;
import io.redisha.topology.LoadedTopology;
import io.redisha.topology.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What redisha doctor checks, in order: Java, the Docker engine, the image, the fixed host ports,
 * the topology file and, on Swarm, the hosts. Each failure says what to do. It changes nothing: it
 * only asks the engine, and runs the image's programs once in throw-away containers without a
 * network (as {@code up} does to learn the server).
 */
public final class Doctor {
    /** The oldest Engine API redisha is tested against (Docker 20.10). */
    static final int[] MIN_API = {1, 41};
    private static final int MIN_JAVA = 17;

    public enum Status { ok, fail, skipped }

    /** Why a check failed; each has an exit code of its own. */
    public enum Failure { JAVA, ENGINE_SOCKET_MISSING, ENGINE_SOCKET_DENIED, ENGINE_UNREACHABLE, ENGINE_API,
        IMAGE_MISSING, IMAGE_NO_SERVER, IMAGE_NO_TLS, PORT_TAKEN, TOPOLOGY, SWARM }

    /**
     * One check's outcome.
     *
     * @param fix     what to do; null unless it failed
     * @param failure why it failed; null unless it failed
     */
    public record Check(String check, Status status, String detail, String fix, Failure failure) {
        static Check ok(String check, String detail) {
            return new Check(check, Status.ok, detail, null, null);
        }

        static Check skipped(String check, String why) {
            return new Check(check, Status.skipped, why, null, null);
        }

        static Check fail(String check, Failure failure, String detail, String fix) {
            return new Check(check, Status.fail, detail, fix, failure);
        }
    }

    /** The topology as up reads it (file, validation, passwords), or why it cannot be used. */
    public record TopologyResult(LoadedTopology loaded, String problem) {
    }

    /**
     * What the checks look at, each found only when asked for.
     *
     * @param java     the running Java's version
     * @param engine   the engine as this machine sees it
     * @param topology the topology as up reads it
     * @param backend  connects the backend the topology names (after the engine answered)
     * @param tls      whether the image's server must support TLS
     */
    public record Inputs(Runtime.Version java, Supplier<EngineState> engine, Supplier<TopologyResult> topology,
                         Function<Topology, Backend> backend, boolean tls) {
    }

    private Doctor() {
    }

    /** Every check, in order; a check that needs one that failed is skipped. */
    public static List<Check> run(Inputs in) {
        List<Check> checks = new ArrayList<>();
        checks.add(java(in.java()));
        EngineState engine = in.engine().get();
        Check engineCheck = engine(engine);
        checks.add(engineCheck);
        TopologyResult topology = in.topology().get();
        Topology t = topology.loaded() == null ? null : topology.loaded().topology();
        Backend backend = null;
        String backendProblem = null;
        if (engineCheck.status() == Status.ok && t != null) {
            try {
                backend = in.backend().apply(t);
            } catch (RuntimeException e) {
                backendProblem = e.getMessage();
            }
        }
        try {
            String noEngine = engineCheck.status() != Status.ok ? "needs the Docker engine"
                    : t == null ? "needs a valid topology file" : backendProblem != null ? "needs the engine the topology names" : null;
            if (noEngine != null) {
                checks.add(Check.skipped("image", noEngine));
                checks.add(Check.skipped("ports", noEngine));
            } else {
                checks.addAll(image(backend, t.image(), in.tls() || t.tls().enabled()));
                if (t.metrics().enabled()) {
                    checks.add(exporterImage(backend, t.metrics().image()));
                }
                checks.add(ports(backend, t));
            }
            checks.add(topology(topology));
            if (t != null && t.platform().isSwarm()) {
                checks.add(backendProblem != null ? Check.fail("swarm", Failure.SWARM, backendProblem,
                        "point DOCKER_HOST at a manager of the Swarm (docs/swarm.md)")
                        : backend == null ? Check.skipped("swarm", "needs the Docker engine") : swarm(backend, t));
            } else if (backendProblem != null) {
                checks.add(Check.fail("engine", Failure.ENGINE_UNREACHABLE, backendProblem, "start the engine or set DOCKER_HOST"));
            }
        } finally {
            if (backend != null) {
                backend.close();
            }
        }
        return checks;
    }

    /** The first failure in the order of the checks, or empty when every check passed or was skipped. */
    public static Optional<Failure> firstFailure(List<Check> checks) {
        return checks.stream().filter(c -> c.status() == Status.fail).map(Check::failure).findFirst();
    }

    static Check java(Runtime.Version version) {
        String detail = "Java " + version + " (" + System.getProperty("java.vendor", "unknown vendor") + ")";
        return version.feature() >= MIN_JAVA ? Check.ok("java", detail)
                : Check.fail("java", Failure.JAVA, detail + "; redisha needs Java " + MIN_JAVA + " or later",
                        "install Java " + MIN_JAVA + " or later (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME to one");
    }

    static Check engine(EngineState e) {
        String socket = e.host().replaceFirst("^unix://", "");
        return switch (e.problem()) {
            case SOCKET_MISSING -> Check.fail("engine", Failure.ENGINE_SOCKET_MISSING, "no Docker engine socket at " + socket,
                    "start the Docker engine (Debian: apt-get install docker.io, then start dockerd), or set DOCKER_HOST to where it listens");
            case SOCKET_DENIED -> Check.fail("engine", Failure.ENGINE_SOCKET_DENIED, "this user may not use the Docker engine's socket " + socket,
                    "add yourself to the socket's group (usually docker: sudo usermod -aG docker $USER, then log in again), or run as root");
            case UNREACHABLE -> Check.fail("engine", Failure.ENGINE_UNREACHABLE, "the Docker engine at " + e.host() + " does not answer ("
                    + e.message() + ")", "start the engine (Debian: dockerd), or set DOCKER_HOST to one that runs");
            case NONE -> apiTooOld(e.apiVersion())
                    ? Check.fail("engine", Failure.ENGINE_API, "Docker " + e.version() + " at " + e.host() + " speaks Engine API "
                    + e.apiVersion() + "; redisha needs " + MIN_API[0] + "." + MIN_API[1] + " or later",
                    "upgrade the Docker engine to 20.10 or later")
                    : Check.ok("engine", "Docker " + e.version() + ", Engine API " + e.apiVersion() + ", at " + e.host());
        };
    }

    static boolean apiTooOld(String api) {
        if (api == null || !api.matches("\\d+\\.\\d+")) {
            return false;
        }
        String[] parts = api.split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        return major < MIN_API[0] || (major == MIN_API[0] && minor < MIN_API[1]);
    }

    /** With metrics on: the exporter's image is on the engine (redisha never pulls it either). */
    static Check exporterImage(Backend backend, String image) {
        return backend.imageExists(image) ? Check.ok("metrics", "exporter image " + image + " is on the engine")
                : Check.fail("metrics", Failure.IMAGE_MISSING, "exporter image " + image + " (topology `metrics.image`) is not on"
                        + " the engine at " + backend.describe(),
                "load it into the engine (docker pull where a registry answers, or docker load); the repository's"
                        + " `scripts/setup --images " + image + "` builds the default one from Debian's package");
    }

    static List<Check> image(Backend backend, String image, boolean tlsRequired) {
        if (backend.imageFacts(image).isEmpty()) {
            return List.of(Check.fail("image", Failure.IMAGE_MISSING, "image " + image + " (topology `image`) is not on the engine at "
                            + backend.describe(),
                    "load it into the engine (docker pull where a registry answers, docker load, or a build of your own; "
                            + "the repository's scripts/setup builds redis:7, redis:8 and valkey/valkey:8); redisha never pulls"),
                    Check.skipped("tls", "needs the image"));
        }
        ServerImage server;
        try {
            server = ServerImage.detect(backend, image);
        } catch (PreflightException e) {
            return List.of(Check.fail("image", Failure.IMAGE_NO_SERVER, e.getMessage().replace(" (nothing was created)", ""),
                    "set `image` to a Redis 6.2 to 8.x or Valkey 8.x image (docs/versions.md)"), Check.skipped("tls", "needs a server"));
        }
        Check found = Check.ok("image", image + " runs " + server.describe() + " (" + server.binary() + ")");
        // the check up makes when tls.enabled: the server started once on a TLS port, without a network
        try {
            server.requireTls(backend);
            return List.of(found, Check.ok("tls", server.binary() + " serves TLS: it tried to load the certificate files it was given"));
        } catch (PreflightException e) {
            String detail = server.binary() + " was built without TLS (it does not try to load a TLS certificate)";
            return List.of(found, tlsRequired
                    ? Check.fail("tls", Failure.IMAGE_NO_TLS, detail, "use an image whose server is built with TLS (BUILD_TLS=yes), such as the official redis and valkey images")
                    : Check.ok("tls", detail + "; not asked for"));
        }
    }

    static Check ports(Backend backend, Topology t) {
        List<Expected.Slot> fixed = Expected.of(t).slots().stream().filter(s -> PortPreflight.fixedPort(t, s) != null).toList();
        if (fixed.isEmpty()) {
            return Check.ok("ports", "no fixed host port: every node gets a free one when it starts");
        }
        if (backend.localPorts().isEmpty()) {
            return Check.skipped("ports", "published on the Swarm's hosts, where the scheduler keeps two tasks off one port");
        }
        // the deployment's own nodes hold their ports once it runs
        Set<Integer> ours = backend.nodes().stream().map(Node::dial).filter(d -> d != null).map(d -> d.port())
                .collect(Collectors.toSet());
        List<String> taken = new ArrayList<>();
        List<String> free = new ArrayList<>();
        for (Expected.Slot slot : fixed) {
            int port = PortPreflight.fixedPort(t, slot);
            if (ours.contains(port) || backend.localPorts().get().hostPortFree(t.bind(), port)) {
                free.add(Integer.toString(port));
            } else {
                taken.add(PortPreflight.field(slot) + ": port " + port + " on " + t.bind() + " is in use");
            }
        }
        return taken.isEmpty() ? Check.ok("ports", "fixed host ports free or the deployment's own: " + String.join(", ", free))
                : Check.fail("ports", Failure.PORT_TAKEN, String.join("; ", taken),
                "stop what listens there (ss -ltnp shows it), or choose other ports in the topology, or ~ for an ephemeral one");
    }

    static Check topology(TopologyResult result) {
        if (result.loaded() == null) {
            return Check.fail("topology", Failure.TOPOLOGY, result.problem(),
                    "correct the keys named above (docs/topology.md lists every key); redisha init writes a valid file to start from");
        }
        Topology t = result.loaded().topology();
        String source = result.loaded().file() == null ? "built-in defaults (no topology.yml here)" : result.loaded().file().toString();
        String warnings = result.loaded().warnings().isEmpty() ? "" : "; warnings: " + String.join("; ", result.loaded().warnings());
        return Check.ok("topology", source + ": project " + t.project() + ", 1 master, " + count(t.replicas().count(), "replica") + ", "
                + count(t.sentinels().count(), "Sentinel") + " (quorum " + t.sentinels().quorum() + ") on " + t.platform().name() + warnings);
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    static Check swarm(Backend backend, Topology t) {
        if (backend.hosts().isEmpty()) {
            return Check.skipped("swarm", "the engine offers no Swarm hosts");
        }
        var hosts = backend.hosts().get();
        Optional<String> placement = hosts.placementProblem(1 + t.replicas().count(), t.sentinels().count(), t.sentinels().quorum());
        if (placement.isPresent()) {
            return Check.fail("swarm", Failure.SWARM, placement.get(),
                    "add or reactivate hosts, lower the counts, or set swarm.accept-risk: true (docs/swarm.md)");
        }
        List<String> down = hosts.hostProblems();
        return down.isEmpty() ? Check.ok("swarm", "the hosts can place the deployment so that it survives the loss of any one")
                : Check.fail("swarm", Failure.SWARM, String.join("; ", down), "bring the hosts back or make them active again (docs/swarm.md)");
    }
}
