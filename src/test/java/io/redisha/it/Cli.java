package io.redisha.it;

import io.redisha.cli.RedishaCli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Runs redisha in-process against a topology file of the test's own, and captures its output. */
public final class Cli {
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path topology;
    private final String project;

    private Cli(Path topology, String project) {
        this.topology = topology;
        this.project = project;
    }

    /** A unique project with the given topology body (without the project key). */
    public static Cli project(String prefix, String yamlBody) throws Exception {
        String project = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        Path dir = Files.createTempDirectory("redisha-it");
        Path file = dir.resolve("topology.yml");
        Files.writeString(file, "project: " + project + "\n" + yamlBody);
        return new Cli(file, project);
    }

    public String project() {
        return project;
    }

    public Path topology() {
        return topology;
    }

    public Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-f");
        all.add(topology.toString());
        return runRaw(all.toArray(String[]::new));
    }

    public static Result runRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RedishaCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Best-effort cleanup: redisha down, then removal by label of anything left. */
    public void cleanup() {
        try {
            run("down", "--images", "--volumes");
        } finally {
            Engine.purge(project);
        }
    }
}
