package io.redisha.it;

import com.github.dockerjava.api.model.Container;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Owns the integration tests' deployments: each is a project of its own with a random name
 * ({@link Cli#project}), optionally brought up before the tests, and always removed afterwards
 * (redisha down, then whatever is left by label), after which the engine must hold nothing of it.
 * <p>
 * The scope follows the field, as with JUnit's own extensions:
 * <pre>
 * // one deployment for the whole class, up before its first test, removed after its last
 * &#64;RegisterExtension
 * static final Deployment deployment = Deployment.of("it-scale", TOPOLOGY).up();
 *
 * // a fresh deployment for every test
 * &#64;RegisterExtension
 * final Deployment deployment = Deployment.of("it-x", "replicas: 1\n").up();
 *
 * // the tests make their own projects, deployments.create(prefix, topology), removed after each test
 * &#64;RegisterExtension
 * final Deployment deployments = Deployment.none();
 * </pre>
 * A project created with {@link #create} during a test is removed after that test; one created in a
 * {@code @BeforeAll} of a class whose field is static, after the class.
 * <p>
 * Set-up and clean-up each have a time limit, on a thread of their own so that a call blocked where an
 * interrupt cannot reach it still fails at its limit. A set-up that fails says why with the state of
 * every node: {@code redisha status} and the last lines of each container's log. A clean-up that fails
 * still removes the other projects, and its failure is added to the test's own (JUnit keeps the first
 * failure and suppresses the later ones), never put in its place. A missing engine fails, never skips.
 */
final class Deployment implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final int LOG_LINES = 40;

    private final String prefix;
    private final String topology;
    private final Map<String, String> secretFiles = new LinkedHashMap<>();
    private boolean up;
    private Duration limit = Duration.ofMinutes(5);

    private final List<Owned> ofClass = new ArrayList<>();
    private final List<Owned> ofTest = new ArrayList<>();
    private volatile boolean classScoped;
    private volatile boolean inTest;
    private volatile Cli cli;

    /** A project with its removal's extras, e.g. an image a test built for it. */
    private record Owned(Cli cli, List<String> images) {
    }

    private Deployment(String prefix, String topology) {
        this.prefix = prefix;
        this.topology = topology;
    }

    /** A deployment of the given topology body (without the project key), named {@code prefix-xxxxxx}. */
    static Deployment of(String prefix, String topology) {
        return new Deployment(prefix, topology);
    }

    /** No deployment of its own: the tests make theirs with {@link #create}, and the extension removes them. */
    static Deployment none() {
        return new Deployment(null, null);
    }

    /** Set-up runs {@code redisha up}, which must exit 0. */
    Deployment up() {
        this.up = true;
        return this;
    }

    /** Writes a file beside the topology (0600) before {@code up}, e.g. a password file the topology names. */
    Deployment withSecretFile(String name, String content) {
        secretFiles.put(name, content);
        return this;
    }

    /** The time limit of set-up, and separately of clean-up (5 minutes unless told). */
    Deployment within(Duration limit) {
        this.limit = limit;
        return this;
    }

    // ---- the deployment of its own, for the tests

    Cli cli() {
        if (cli == null) {
            throw new IllegalStateException(prefix == null
                    ? "Deployment.none() has no deployment of its own: use create(prefix, topology)"
                    : "the deployment " + prefix + " is not set up: is its field annotated with @RegisterExtension?");
        }
        return cli;
    }

    String project() {
        return cli().project();
    }

    Path topology() {
        return cli().topology();
    }

    Cli.Result run(String... args) {
        return cli().run(args);
    }

    Cli.Result runFileFirst(String command, String... rest) {
        return cli().runFileFirst(command, rest);
    }

    // ---- projects the tests make

    /**
     * A project of the test's own (not brought up), removed after the current test, or after the class
     * when made in its {@code @BeforeAll}.
     */
    Cli create(String prefix, String topology) throws Exception {
        List<Owned> owner = owner();
        Engine.client();
        Cli made = Cli.project(prefix, topology);
        synchronized (this) {
            owner.add(new Owned(made, new ArrayList<>()));
        }
        return made;
    }

    /** An image (or a tag) to remove, by force, once the project is removed: one the test built or tagged for it. */
    void removeImageAfterwards(Cli project, String image) {
        synchronized (this) {
            for (List<Owned> list : List.of(ofTest, ofClass)) {
                for (Owned o : list) {
                    if (o.cli() == project) {
                        o.images().add(image);
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException(project.project() + " was not made by this extension");
    }

    private List<Owned> owner() {
        if (inTest) {
            return ofTest;
        }
        if (classScoped) {
            return ofClass;
        }
        throw new IllegalStateException("make a project in a test, or in a @BeforeAll with the extension on a static field");
    }

    // ---- the callbacks

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        classScoped = true;
        if (prefix != null) {
            within("set-up of " + prefix + " for " + context.getDisplayName(), () -> setUp(ofClass));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        inTest = true;
        if (prefix != null && !classScoped) {
            within("set-up of " + prefix + " for " + context.getDisplayName(), () -> setUp(ofTest));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        inTest = false;
        removeAll(ofTest, context);
        if (!classScoped) {
            cli = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        removeAll(ofClass, context);
        cli = null;
    }

    private void setUp(List<Owned> owner) throws Exception {
        Engine.client();
        Cli made = Cli.project(prefix, topology);
        synchronized (this) {
            owner.add(new Owned(made, new ArrayList<>()));
        }
        for (Map.Entry<String, String> file : secretFiles.entrySet()) {
            Path path = Files.createFile(made.topology().resolveSibling(file.getKey()),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(path, file.getValue() + "\n");
        }
        if (up) {
            Cli.Result result;
            try {
                result = made.run("up");
            } catch (RuntimeException | Error e) {
                throw new AssertionError("redisha up of " + made.project() + " threw\n" + nodes(made), e);
            }
            if (result.exitCode() != 0) {
                throw new AssertionError("redisha up of " + made.project() + " failed: " + result + nodes(made));
            }
        }
        cli = made;
    }

    /** What every node of the project is doing: redisha status, then each container's state and last log lines. */
    private static String nodes(Cli project) {
        StringBuilder b = new StringBuilder("--- redisha status\n");
        try {
            b.append(project.run("status"));
        } catch (RuntimeException | Error e) {
            b.append("status threw ").append(e).append('\n');
        }
        try {
            for (Container c : Engine.containers(project.project())) {
                b.append("--- ").append(c.getNames()[0].substring(1)).append(": ").append(c.getState())
                        .append(" (").append(c.getStatus()).append("), last ").append(LOG_LINES).append(" log lines\n");
                List<String> lines = Engine.logs(c.getId()).lines().toList();
                lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            b.append("interrupted while reading the nodes' logs\n");
        } catch (RuntimeException | Error e) {
            b.append("could not read the nodes from the engine: ").append(e).append('\n');
        }
        return b.toString();
    }

    /** Removes every project of the list, each within the time limit; a failure does not stop the others. */
    private void removeAll(List<Owned> list, ExtensionContext context) throws Exception {
        List<Owned> owned;
        synchronized (this) {
            owned = new ArrayList<>(list);
            list.clear();
        }
        Throwable first = null;
        Collections.reverse(owned);
        for (Owned o : owned) {
            try {
                within("clean-up of " + o.cli().project() + " after " + context.getDisplayName(), () -> remove(o));
            } catch (Exception | Error e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof Error error) {
            throw error;
        }
        if (first != null) {
            throw (Exception) first;
        }
    }

    /** Removes the project, checks that the engine holds nothing of it, then removes its images; every failure kept. */
    private static void remove(Owned o) {
        String project = o.cli().project();
        Throwable failure = null;
        try {
            o.cli().cleanup();
            List<String> left = Engine.containers(project).stream().map(c -> c.getNames()[0]).toList();
            if (!left.isEmpty() || !Engine.networks(project).isEmpty() || !Engine.volumes(project).isEmpty()) {
                throw new AssertionError("clean-up left objects of " + project + " on the engine: containers " + left
                        + ", networks " + Engine.networks(project).size() + ", volumes " + Engine.volumes(project));
            }
        } catch (RuntimeException | AssertionError e) {
            failure = e;
        }
        for (String image : o.images()) {
            try {
                Engine.client().removeImageCmd(image).withForce(true).exec();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure != null) {
            throw (AssertionError) failure;
        }
    }

    /**
     * Runs the work on a thread of its own and waits at most the time limit: a call blocked where an
     * interrupt cannot reach it (a socket read) still fails, with the redisha commands' progress.
     */
    private void within(String what, Work work) throws Exception {
        FutureTask<Void> task = new FutureTask<>(() -> {
            work.run();
            return null;
        });
        Thread thread = new Thread(task, "redisha-it " + what);
        thread.setDaemon(true);
        thread.start();
        try {
            task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (Exception) e.getCause();
        } catch (TimeoutException e) {
            thread.interrupt();
            throw (TimeoutException) ProgressOnTimeout.withProgress(
                    new TimeoutException(what + " timed out after " + limit.toSeconds() + " s"), Transcript.text());
        }
    }

    private interface Work {
        void run() throws Exception;
    }
}
