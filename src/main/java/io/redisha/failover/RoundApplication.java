package io.redisha.failover;

import io.redisha.cluster.ClientAccess;
import io.redisha.cluster.Cluster;
import io.redisha.cluster.Progress;
import io.redisha.failover.FailoverOptions.WhileCommand;
import io.redisha.failover.FailoverReport.Application;
import io.redisha.failover.FailoverReport.Check;
import io.redisha.failover.FailoverReport.OutputLine;
import io.redisha.failover.FailoverReport.Status;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The user's command of {@code failover-test --while}, run through one round with {@code sh -c}: it
 * gets the deployment's connection details in its environment, the fault comes once it has printed
 * its first line (or after {@link #FIRST_OUTPUT_WAIT}), and when the round is over its input is closed
 * and it has the grace period to exit. Its exit status is the round's check
 * {@value #CHECK}; its output goes into the report.
 */
final class RoundApplication implements AutoCloseable {
    static final String CHECK = "application survived the failover";
    static final Duration FIRST_OUTPUT_WAIT = Duration.ofSeconds(10);
    private static final Duration TERMINATE_WAIT = Duration.ofSeconds(5);
    private static final int KEPT_LINES = 500;
    private static final int ANNOUNCED_LINES = 200;
    private static final int LINE_CHARS = 4096;

    private record Line(long nanos, String text) {
    }

    private final WhileCommand command;
    private final Progress progress;
    private final Deque<Line> output = new ArrayDeque<>();
    private final CountDownLatch firstOutput = new CountDownLatch(1);
    private int dropped;
    private int announced;
    private Process process;
    private Thread reader;
    private String startFailure;
    private long startedNanos;
    private volatile long firstOutputNanos;
    private long inputClosedNanos;
    private volatile long exitedNanos;
    private boolean terminated;
    private Check check;

    /** @param command the command to run, or null for none (every method then does nothing) */
    RoundApplication(WhileCommand command, Progress progress) {
        this.command = command;
        this.progress = progress;
    }

    /**
     * The environment it gets besides redisha's own: the deployment as {@code redisha connect --output env}
     * prints it, and REDISHA_ROUND and REDISHA_FAULT.
     */
    static Map<String, String> environment(Cluster cluster, WhileCommand command, int round, String fault) {
        Map<String, String> env = new LinkedHashMap<>(ClientAccess.of(cluster.refresh(), cluster.topology(),
                command.passwords(), cluster.tls()).environment());
        env.put("REDISHA_ROUND", Integer.toString(round));
        env.put("REDISHA_FAULT", fault);
        return env;
    }

    /** Starts the command; then waits for its first line of output, its exit, or {@link #FIRST_OUTPUT_WAIT}. */
    void start(Map<String, String> environment) {
        if (command == null) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command.command()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        progress.step("starting the application: " + command.command());
        startedNanos = System.nanoTime();
        try {
            process = builder.start();
        } catch (IOException e) {
            startFailure = e.getMessage();
            check = new Check(CHECK, Status.FAIL, "could not be started: " + e.getMessage());
            progress.step("the application could not be started: " + e.getMessage());
            return;
        }
        process.onExit().thenRun(this::exited);
        reader = new Thread(this::read, "redisha-application-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!firstOutput.await(FIRST_OUTPUT_WAIT.toNanos(), TimeUnit.NANOSECONDS) && process.isAlive()) {
                progress.step("the application printed nothing within " + FIRST_OUTPUT_WAIT.toSeconds()
                        + " s; injecting the fault anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void exited() {
        if (exitedNanos == 0) {
            exitedNanos = System.nanoTime();
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                keep(line.length() > LINE_CHARS ? line.substring(0, LINE_CHARS) + "..." : line);
            }
        } catch (IOException e) {
            keep("(redisha could not read more of its output: " + e.getMessage() + ")");
        } finally {
            firstOutput.countDown();
        }
    }

    private void keep(String text) {
        long now = System.nanoTime();
        boolean announce;
        synchronized (output) {
            if (firstOutputNanos == 0) {
                firstOutputNanos = now;
            }
            output.add(new Line(now, text));
            if (output.size() > KEPT_LINES) {
                output.removeFirst();
                dropped++;
            }
            announce = announced++ < ANNOUNCED_LINES;
        }
        if (announce) {
            progress.step("application| " + text + (announced == ANNOUNCED_LINES ? " (more only in the report)" : ""));
        }
        firstOutput.countDown();
    }

    /**
     * The round is over: closes the command's input and gives it the grace period to exit, then stops
     * it. Empty without a command.
     *
     * @param origin the fault's {@link System#nanoTime()}: an exit before it means the command never saw the fault
     */
    Optional<Check> finish(long origin) {
        if (command == null || (process == null && check == null)) {
            return Optional.empty();
        }
        if (check != null) {
            return Optional.of(check);
        }
        if (process.isAlive()) {
            inputClosedNanos = System.nanoTime();
            progress.step("round over: closing the application's input; it has " + command.grace().toSeconds()
                    + " s to exit");
            closeInput();
            if (!waitFor(command.grace())) {
                terminate();
            }
        }
        exited();
        joinReader();
        check = judge(origin);
        return Optional.of(check);
    }

    private Check judge(long origin) {
        int status = process.exitValue();
        String at = Phases.seconds(exitedNanos - origin) + " s";
        if (terminated) {
            return new Check(CHECK, Status.FAIL, "did not exit within " + command.grace().toSeconds()
                    + " s after its input was closed at the end of the round; redisha terminated it");
        }
        if (status != 0) {
            return new Check(CHECK, Status.FAIL, "exited with status " + status + " at " + at);
        }
        if (exitedNanos - origin < 0 && inputClosedNanos == 0) {
            return new Check(CHECK, Status.FAIL, "exited with status 0 at " + at
                    + ", before the fault: it did not run through the failover");
        }
        return new Check(CHECK, Status.PASS, "exited with status 0 at " + at
                + (inputClosedNanos == 0 ? ", before the round ended" : ", after the round ended"));
    }

    /** What the report shows of it, null without a command. */
    Application report(long origin) {
        if (command == null) {
            return null;
        }
        List<OutputLine> lines;
        int droppedLines;
        synchronized (output) {
            lines = output.stream().map(l -> new OutputLine(Phases.ms(l.nanos() - origin), l.text())).toList();
            droppedLines = dropped;
        }
        boolean ran = process != null && !process.isAlive();
        return new Application(command.command(), startFailure != null ? null : Phases.ms(startedNanos - origin),
                firstOutputNanos == 0 ? null : Phases.ms(firstOutputNanos - origin),
                inputClosedNanos == 0 ? null : Phases.ms(inputClosedNanos - origin),
                ran && exitedNanos != 0 ? Phases.ms(exitedNanos - origin) : null,
                ran ? process.exitValue() : null, terminated, lines, droppedLines);
    }

    private void closeInput() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // it closed its input itself, or exited: nothing to tell it
        }
    }

    private boolean waitFor(Duration limit) {
        try {
            boolean exited = process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
            if (exited) {
                exited();
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * SIGTERM to the shell, then to every process it had started (listed before, so that none is
     * missed when the shell dies first), then SIGKILL to what is left.
     */
    private void terminate() {
        terminated = true;
        progress.step("the application did not exit in time; stopping it");
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        if (!waitFor(TERMINATE_WAIT)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitFor(TERMINATE_WAIT);
        }
    }

    private void joinReader() {
        try {
            reader.join(TERMINATE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whatever happened to the round, nothing the command started outlives it. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            closeInput();
            List<ProcessHandle> tree = process.descendants().toList();
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
