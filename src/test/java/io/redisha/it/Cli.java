package io.redisha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.redisha.cli.RedishaCli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Runs redisha in-process against a topology file of the test's own, and captures its output. */
public final class Cli {
    public record Result(int exitCode, String out, String err) {
        /**
         * The exit code, a digest of a failover report (what failed, then every Sentinel event),
         * the progress lines, then the whole output: CI shows only the head of a failure message.
         */
        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + failoverDigest() + "--- stderr\n" + err + "--- stdout\n" + out;
        }

        private String failoverDigest() {
            JsonNode report;
            try {
                report = new ObjectMapper().readTree(out);
            } catch (Exception e) {
                return "";
            }
            if (report == null || !report.has("rounds")) {
                return "";
            }
            StringBuilder b = new StringBuilder("--- failover report digest\n");
            for (JsonNode round : report.get("rounds")) {
                b.append("round ").append(round.path("round").asInt()).append(' ').append(round.path("oldMaster").asText())
                        .append(" -> ").append(round.path("newMaster").asText()).append(": ")
                        .append(round.path("outcome").asText()).append(' ').append(round.path("reason").asText("")).append('\n');
                for (JsonNode note : round.path("notes")) {
                    b.append("  note: ").append(note.asText()).append('\n');
                }
                for (JsonNode before : round.path("notReadyBefore")) {
                    b.append("  not ready before: ").append(before.asText()).append('\n');
                }
                for (JsonNode e : round.path("events")) {
                    b.append("  ").append(e.path("atMs").asLong()).append(' ').append(e.path("sentinel").asText())
                            .append(' ').append(e.path("type").asText()).append(' ').append(e.path("message").asText())
                            .append('\n');
                }
            }
            return b.toString();
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
        String image = System.getenv("REDISHA_IT_IMAGE");
        boolean ownImage = yamlBody.lines().anyMatch(l -> l.startsWith("image:"));
        String imageLine = image == null || image.isBlank() || ownImage ? "" : "image: " + image + "\n";
        Files.writeString(file, "project: " + project + "\n" + imageLine + yamlBody);
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

    /**
     * Runs a command with the topology file right after the command's name, as --file: for cli, whose
     * words after the node are the Redis command's, and logs, whose -f means follow.
     */
    public Result runFileFirst(String command, String... rest) {
        List<String> all = new ArrayList<>(List.of(command, "--file", topology.toString()));
        all.addAll(List.of(rest));
        return runRaw(all.toArray(String[]::new));
    }

    /** Runs redisha; its stderr also goes to the {@link Transcript}, for a test that exceeds its time limit. */
    public static Result runRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Writer recorded = Transcript.started("redisha " + String.join(" ", args), err);
        int code = RedishaCli.run(new PrintWriter(out), new PrintWriter(recorded), args);
        Transcript.ended(code);
        return new Result(code, out.toString(), err.toString());
    }

    /** The packaged jar, as a user runs it. */
    public static final Path JAR = Path.of(System.getProperty("redisha.project.dir", "."), "target", "redisha.jar");

    /**
     * Runs redisha as a separate process ({@code java -jar}), so that what its logging prints reaches the
     * result too (in this JVM it goes to the test's own console); at most the given time.
     */
    public Result runProcess(java.time.Duration limit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-f", topology.toString()));
        Path out = Files.createTempFile("redisha-out", ".txt");
        Path err = Files.createTempFile("redisha-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not end within " + limit.toSeconds() + " s");
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
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
