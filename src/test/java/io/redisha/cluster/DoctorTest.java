package io.redisha.cluster;

import io.redisha.backend.EngineState;
import io.redisha.backend.EngineState.Problem;
import io.redisha.backend.ImageFacts;
import io.redisha.cluster.Doctor.Check;
import io.redisha.cluster.Doctor.Failure;
import io.redisha.cluster.Doctor.Status;
import io.redisha.topology.LoadedTopology;
import io.redisha.topology.Topology;
import io.redisha.topology.TopologyLoader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** redisha doctor's checks over an in-memory engine: each failure it claims to find, in order, and what it skips. */
class DoctorTest {
    private static final EngineState ENGINE = new EngineState("unix:///var/run/docker.sock", Problem.NONE, null, "20.10.24", "1.41");

    private static LoadedTopology loaded(String yaml) throws Exception {
        return TopologyLoader.parse(yaml, "topology.yml");
    }

    private static List<Check> run(EngineState engine, Doctor.TopologyResult topology, FakeBackend backend, boolean tls) {
        return Doctor.run(new Doctor.Inputs(Runtime.version(), () -> engine, () -> topology, t -> backend, tls));
    }

    private static Check check(List<Check> checks, String name) {
        return checks.stream().filter(c -> c.check().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " in " + checks));
    }

    @Test
    void aHealthyMachinePassesEveryCheckInTheDocumentedOrder() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        fake.programs.put("redis:7 redis-server", TLS_YES);
        List<Check> checks = run(ENGINE, new Doctor.TopologyResult(loaded("project: p\n"), null), fake, true);
        assertEquals(List.of("java", "engine", "image", "tls", "ports", "topology"), checks.stream().map(Check::check).toList());
        assertTrue(checks.stream().allMatch(c -> c.status() == Status.ok && c.fix() == null), checks::toString);
        assertEquals("redis:7 runs Redis 7.0.15 (redis-server)", check(checks, "image").detail());
        assertEquals(Optional.empty(), Doctor.firstFailure(checks));
        assertTrue(fake.calls().stream().allMatch(c -> c.startsWith("runOnce")), "it changes nothing: " + fake.calls());
    }

    @Test
    void aMissingSocketIsNamedWithWhatToDoAndTheEngineChecksAreSkippedWithoutConnecting() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        List<Check> checks = Doctor.run(new Doctor.Inputs(Runtime.version(),
                () -> new EngineState("unix:///run/none.sock", Problem.SOCKET_MISSING, null, null, null),
                () -> new Doctor.TopologyResult(null, "topology.yml: image (line 1): bad"), t -> {
                    connects.incrementAndGet();
                    return new FakeBackend("p");
                }, false));
        Check engine = check(checks, "engine");
        assertEquals(Status.fail, engine.status());
        assertEquals("no Docker engine socket at /run/none.sock", engine.detail());
        assertTrue(engine.fix().startsWith("start the Docker engine"), engine::toString);
        assertEquals(Status.skipped, check(checks, "image").status());
        assertEquals(Status.skipped, check(checks, "ports").status());
        assertEquals(Failure.TOPOLOGY, check(checks, "topology").failure(), "the file is still checked");
        assertEquals(Optional.of(Failure.ENGINE_SOCKET_MISSING), Doctor.firstFailure(checks), "the first failure in order counts");
        assertEquals(0, connects.get());
    }

    @Test
    void eachEngineProblemHasItsOwnFailure() {
        assertEquals(Failure.ENGINE_SOCKET_DENIED,
                Doctor.engine(new EngineState("unix:///var/run/docker.sock", Problem.SOCKET_DENIED, null, null, null)).failure());
        Check denied = Doctor.engine(new EngineState("unix:///var/run/docker.sock", Problem.SOCKET_DENIED, null, null, null));
        assertTrue(denied.fix().contains("usermod -aG docker"), denied::toString);
        Check unreachable = Doctor.engine(new EngineState("tcp://127.0.0.1:2375", Problem.UNREACHABLE, "Connection refused", null, null));
        assertEquals(Failure.ENGINE_UNREACHABLE, unreachable.failure());
        assertEquals("the Docker engine at tcp://127.0.0.1:2375 does not answer (Connection refused)", unreachable.detail());
        Check old = Doctor.engine(new EngineState("unix:///s", Problem.NONE, null, "19.03.1", "1.40"));
        assertEquals(Failure.ENGINE_API, old.failure());
        assertEquals("Docker 19.03.1 at unix:///s speaks Engine API 1.40; redisha needs 1.41 or later", old.detail());
        assertEquals(Status.ok, Doctor.engine(new EngineState("unix:///s", Problem.NONE, null, "28.0.0", "1.48")).status());
        assertEquals(Status.ok, Doctor.engine(new EngineState("unix:///s", Problem.NONE, null, "x", "2.0")).status());
    }

    @Test
    void withMetricsOnAMissingExporterImageFailsAsAMissingImage() {
        FakeBackend fake = new FakeBackend("p");
        Check missing = Doctor.exporterImage(fake, "missing/exporter:1");
        assertEquals(Failure.IMAGE_MISSING, missing.failure());
        assertTrue(missing.detail().contains("metrics.image"), missing::toString);
        assertTrue(missing.fix().contains("scripts/setup --images missing/exporter:1"), missing::toString);
        assertEquals(Status.ok, Doctor.exporterImage(fake, "oliver006/redis_exporter:v1.45.0").status());
    }

    @Test
    void anImageNotOnTheEngineOrWithoutAServerFailsWithItsOwnFailure() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        List<Check> missing = run(ENGINE, new Doctor.TopologyResult(loaded("image: missing:1\n"), null), fake, false);
        assertEquals(Failure.IMAGE_MISSING, check(missing, "image").failure());
        assertTrue(check(missing, "image").fix().contains("redisha never pulls"), missing::toString);
        assertEquals(Status.skipped, check(missing, "tls").status());

        fake.images.put("debian:12", new ImageFacts(List.of("bash"), List.of(), Map.of(), Map.of()));
        List<Check> noServer = run(ENGINE, new Doctor.TopologyResult(loaded("image: debian:12\n"), null), fake, false);
        Check image = check(noServer, "image");
        assertEquals(Failure.IMAGE_NO_SERVER, image.failure());
        assertEquals("image debian:12 (topology `image`) is not a Redis or Valkey image: it has neither redis-server nor valkey-server",
                image.detail());
        assertEquals(Optional.of(Failure.IMAGE_NO_SERVER), Doctor.firstFailure(noServer));
    }

    /** What a server built with TLS says when started with certificate files that do not exist. */
    private static final String TLS_YES = "# Failed to load certificate: /nonexistent/redisha.crt: error:80000002:system library::"
            + "No such file or directory\n# Failed to configure TLS. Check logs for more info.\n";

    @Test
    void tlsSupportFailsOnlyWhenAskedForOrTheTopologyTurnsItOn() throws Exception {
        FakeBackend fake = new FakeBackend("p");
        fake.programs.put("redis:7 redis-server", "*** FATAL CONFIG FILE ERROR ***\n>>> 'tls-port \"6379\"'\nBad directive or wrong number of arguments\n");
        LoadedTopology t = loaded("project: p\n");
        Check notAsked = check(run(ENGINE, new Doctor.TopologyResult(t, null), fake, false), "tls");
        assertEquals(Status.ok, notAsked.status());
        assertEquals("redis-server was built without TLS (it does not try to load a TLS certificate); not asked for", notAsked.detail());
        Check asked = check(run(ENGINE, new Doctor.TopologyResult(t, null), fake, true), "tls");
        assertEquals(Failure.IMAGE_NO_TLS, asked.failure());
        assertTrue(fake.calls().stream().anyMatch(c -> c.startsWith("runOnce redis:7 redis-server --port 0 --tls-port 6379")),
                fake.calls()::toString);
        Check topology = check(run(ENGINE, new Doctor.TopologyResult(loaded("project: p\ntls:\n  enabled: true\n"), null), fake, false), "tls");
        assertEquals(Failure.IMAGE_NO_TLS, topology.failure(), "tls.enabled asks for it");

        fake.programs.put("redis:7 redis-server", TLS_YES);
        assertEquals(Status.ok, check(run(ENGINE, new Doctor.TopologyResult(t, null), fake, true), "tls").status());
    }

    @Test
    void aFixedHostPortInUseIsNamedByItsKey() throws Exception {
        FakeBackend fake = new FakeBackend("p"); // port 6666 is taken on the fake engine
        List<Check> checks = run(ENGINE, new Doctor.TopologyResult(
                loaded("master: {host-port: 7000}\nsentinels: {host-ports: [7001, 6666]}\n"), null), fake, false);
        Check ports = check(checks, "ports");
        assertEquals(Failure.PORT_TAKEN, ports.failure());
        assertEquals("sentinels.host-ports[1]: port 6666 on 127.0.0.1 is in use", ports.detail());
        assertEquals(Optional.of(Failure.PORT_TAKEN), Doctor.firstFailure(checks));
        Topology free = loaded("master: {host-port: 7000}\n").topology();
        assertEquals(Status.ok, Doctor.ports(fake, free).status());
    }

    @Test
    void anInvalidTopologyFailsWithUpsMessageAndSkipsWhatNeedsIt() {
        List<Check> checks = run(ENGINE, new Doctor.TopologyResult(null,
                "topology.yml: sentinels.quorum (line 3): 9 is more than the 3 sentinels"), new FakeBackend("p"), false);
        Check topology = check(checks, "topology");
        assertEquals(Failure.TOPOLOGY, topology.failure());
        assertEquals("topology.yml: sentinels.quorum (line 3): 9 is more than the 3 sentinels", topology.detail());
        assertEquals("needs a valid topology file", check(checks, "image").detail());
        assertNull(check(checks, "java").failure());
    }
}
