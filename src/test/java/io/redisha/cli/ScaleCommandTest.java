package io.redisha.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The refusals that need no Docker engine: they come before redisha connects to one. */
class ScaleCommandTest {
    private static final String TOPOLOGY = "# comment kept\nproject: unit-scale\nreplicas: 2\nsentinels:\n  count: 3\n  quorum: 2\n";

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RedishaCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path topology(String text) throws Exception {
        Path file = dir.resolve("topology.yml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void sentinelsBelowTheQuorumAreRefusedWithOneLineAndTheFileUntouched() throws Exception {
        Path file = topology(TOPOLOGY);
        Result r = run("scale", "sentinel=1", "-f", file.toString());
        assertEquals(ExitCodes.REFUSED, r.code(), r::toString);
        assertEquals("error: sentinel=1 is below the quorum of 2 (sentinels.quorum): the Sentinels could never agree"
                + " that the master is down; lower sentinels.quorum first; nothing changed", r.err().strip());
        assertEquals(TOPOLOGY, Files.readString(file));
    }

    @Test
    void zeroSentinelsAndNegativeCountsAreRefused() throws Exception {
        Path file = topology(TOPOLOGY);
        Result zero = run("scale", "sentinel=0", "-f", file.toString());
        assertEquals(ExitCodes.REFUSED, zero.code(), zero::toString);
        assertTrue(zero.err().startsWith("error: sentinel=0: without Sentinels"), zero::toString);

        Result negative = run("scale", "replica=-1", "sentinel=5", "-f", file.toString());
        assertEquals(ExitCodes.REFUSED, negative.code(), negative::toString);
        assertTrue(negative.err().startsWith("error: replica=-1: a count cannot be negative"), negative::toString);
        assertEquals(TOPOLOGY, Files.readString(file));
    }

    @Test
    void countsTheRestOfTheTopologyForbidsAreRefused() throws Exception {
        String text = "project: unit-scale\nsentinels:\n  count: 3\n  host-ports: [26379, 26380, 26381]\n";
        Path file = topology(text);
        Result r = run("scale", "sentinel=2", "-f", file.toString());
        assertEquals(ExitCodes.REFUSED, r.code(), r::toString);
        assertTrue(r.err().contains("the topology does not allow these counts: sentinels.host-ports: 3 host ports for 2 sentinels"),
                r::toString);
        assertEquals(1, r.err().strip().lines().count(), r::toString);
        assertEquals(text, Files.readString(file));
    }

    @Test
    void unknownServiceIsRefusedAndAMalformedArgumentIsAUsageError() throws Exception {
        Path file = topology(TOPOLOGY);
        Result unknown = run("scale", "redis=2", "-f", file.toString());
        assertEquals(ExitCodes.REFUSED, unknown.code(), unknown::toString);
        assertEquals("error: unknown service 'redis' in redis=2: expected sentinel, replica or slave", unknown.err().strip());

        Result malformed = run("scale", "sentinel", "-f", file.toString());
        assertEquals(ExitCodes.USAGE, malformed.code(), malformed::toString);
        assertTrue(malformed.err().startsWith("malformed argument 'sentinel': expected SERVICE=N"), malformed::toString);

        Result none = run("scale", "-f", file.toString());
        assertEquals(ExitCodes.USAGE, none.code(), none::toString);
        assertEquals(TOPOLOGY, Files.readString(file));
    }
}
