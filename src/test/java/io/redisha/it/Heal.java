package io.redisha.it;

import com.github.dockerjava.api.model.Container;
import io.redisha.wait.Await;
import io.redisha.wait.Poll;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the self-healing tests share: a process killed as the kernel would, keys counted on every node. */
final class Heal {
    private Heal() {
    }

    /**
     * SIGKILL to the node's server process from the host, not through the engine's API (which would
     * count as a stop on purpose): what the out-of-memory killer or a crash does. Returns its PID.
     */
    static long killServerFromHost(String containerId) {
        long root = Engine.inspect(containerId).getState().getPidLong();
        ProcessHandle server = ProcessHandle.of(root).stream()
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
                .filter(p -> comm(p.pid()).matches("(redis|valkey)-server.*|redis-sentinel.*|valkey-sentinel.*"))
                .findFirst().orElseThrow(() -> new AssertionError("no server process under PID " + root
                        + " of " + containerId + " (" + comm(root) + ")"));
        assertTrue(server.destroyForcibly(), "SIGKILL to PID " + server.pid());
        return server.pid();
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The docker CLI, for what Testcontainers' client cannot do; fails on a non-zero exit. */
    static String docker(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, command + ": " + out);
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static int restartCount(String containerId) {
        Integer count = Engine.inspect(containerId).getRestartCount();
        return count == null ? 0 : count;
    }

    static String name(Container c) {
        return c.getNames()[0].replaceFirst("^/", "");
    }

    static List<Container> redisNodes(String project) {
        return Engine.containers(project).stream()
                .filter(c -> !"sentinel".equals(c.getLabels().get("io.redisha.service"))).toList();
    }

    /** For each Redis node, how many of the keys {@code prefix0..} it lacks (or a reason it cannot be asked). */
    static Map<String, String> missingKeys(String project, String prefix, int count) {
        Map<String, String> missing = new LinkedHashMap<>();
        for (Container c : redisNodes(project)) {
            try (Jedis r = Probe.redis(c.getId())) {
                int lacking = 0;
                for (int i = 0; i < count; i++) {
                    if (!("v" + i).equals(r.get(prefix + i))) {
                        lacking++;
                    }
                }
                if (lacking > 0) {
                    missing.put(name(c), lacking + " of " + count + " keys missing");
                }
            } catch (RuntimeException e) {
                missing.put(name(c), e.toString());
            }
        }
        return missing;
    }

    /** Every key on every Redis node, twice in a row three seconds apart (a resync from an empty node would show between). */
    static Map<String, String> awaitKeysEverywhere(String project, String prefix, int count, Duration timeout)
            throws InterruptedException {
        long deadline = Await.deadline(timeout);
        Map<String, String> last = missingKeys(project, prefix, count);
        while (System.nanoTime() < deadline) {
            if (last.isEmpty()) {
                Thread.sleep(3000);
                last = missingKeys(project, prefix, count);
                if (last.isEmpty()) {
                    return last;
                }
            } else {
                Thread.sleep(1000);
                last = missingKeys(project, prefix, count);
            }
        }
        return last;
    }

    /** Polls {@code redis status} until it says ready (exit code 0). */
    static Poll<Void> statusReady(Cli cli) {
        Cli.Result status = cli.run("status");
        return Poll.unless(status.exitCode() == 0 ? null : status.toString());
    }

    /** The container the first answering Sentinel names as the master, once it reports role:master. */
    static Poll<Container> namedMaster(String project) {
        List<String> errors = new ArrayList<>();
        for (Container s : Probe.byService(project, "sentinel")) {
            try (Jedis j = Probe.sentinel(s.getId())) {
                String ip = j.sentinelGetMasterAddrByName("mymaster").get(0);
                for (Container c : redisNodes(project)) {
                    if (ip.equals(Engine.ip(c.getId()))) {
                        try (Jedis r = Probe.redis(c.getId())) {
                            return "master".equals(Probe.info(r).get("role")) ? Poll.done(c)
                                    : Poll.waiting(ip + " does not report role:master yet");
                        }
                    }
                }
                return Poll.waiting("no node at " + ip);
            } catch (RuntimeException e) {
                errors.add(e.toString());
            }
        }
        return Poll.waiting("no Sentinel answers: " + errors);
    }

    static Poll<Void> replicaUp(String id) {
        try (Jedis r = Probe.redis(id)) {
            Map<String, String> info = Probe.info(r);
            return Poll.unless("slave".equals(info.get("role")) && "up".equals(info.get("master_link_status"))
                    ? null : "role " + info.get("role") + ", link " + info.get("master_link_status"));
        } catch (RuntimeException e) {
            return Poll.waiting(e.toString());
        }
    }
}
