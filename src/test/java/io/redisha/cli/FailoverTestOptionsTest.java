package io.redisha.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** failover-test's own options are checked before any engine is asked. */
class FailoverTestOptionsTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RedishaCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[]{Integer.toString(code), err.toString()};
    }

    private static void assertUsageError(String expected, String... args) {
        String[] r = run(args);
        assertEquals(Integer.toString(ExitCodes.USAGE), r[0], r[1]);
        assertTrue(r[1].startsWith(expected), r[1]);
    }

    @Test
    void aFaultListNamesTheUnknownFault() {
        assertUsageError("Invalid value for option '--fault': expected one of", "failover-test", "--fault", "pause,nope");
        assertTrue(run("failover-test", "--fault", "pause,nope")[1].contains("but was 'nope'"));
    }

    @Test
    void partitionSecondsNeedAPartitionWithinTheTimeout() {
        assertUsageError("--partition-seconds needs --fault partition", "failover-test", "--partition-seconds", "10");
        assertUsageError("--partition-seconds must be at least 1 and less than --timeout (60), got 60", "failover-test",
                "--fault", "pause,partition", "--partition-seconds", "60");
    }

    @Test
    void waitReplicasNeedWrites() {
        assertUsageError("--wait-replicas needs writes", "failover-test", "--wait-replicas", "1", "--writes", "0");
        assertUsageError("--wait-replicas must be 0 or more, got -1", "failover-test", "--wait-replicas", "-1");
    }
}
