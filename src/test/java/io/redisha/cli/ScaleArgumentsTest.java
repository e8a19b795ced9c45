package io.redisha.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScaleArgumentsTest {

    private static ScaleArguments.Counts parse(String... args) {
        return ScaleArguments.parse(List.of(args));
    }

    @Test
    void readsSentinelAndReplicaCountsWithSlaveAsASynonym() {
        assertEquals(new ScaleArguments.Counts(null, 5), parse("sentinel=5"));
        assertEquals(new ScaleArguments.Counts(2, null), parse("slave=2"));
        assertEquals(new ScaleArguments.Counts(3, null), parse("replica=3"));
        assertEquals(new ScaleArguments.Counts(3, 5), parse("sentinel=5", "slave=3"));
        assertEquals(new ScaleArguments.Counts(0, 1), parse("replicas=0", "sentinels=1"));
        assertEquals(new ScaleArguments.Counts(4, null), parse("Slaves=4"));
    }

    @Test
    void leavesNegativeCountsToTheTopologyChecks() {
        ScaleArguments.Counts counts = parse("sentinel=-1");
        assertEquals(-1, counts.sentinels());
        assertNull(counts.replicas());
    }

    @Test
    void malformedArgumentsAreUsageErrorsNamingTheArgument() {
        assertMalformed("malformed argument 'sentinel': expected SERVICE=N", "sentinel");
        assertMalformed("malformed argument 'sentinel=three': the count must be a whole number, e.g. sentinel=3",
                "sentinel=three");
        assertMalformed("malformed argument 'sentinel=': the count must be a whole number", "sentinel=");
        assertMalformed("malformed argument 'sentinel=3=4'", "sentinel=3=4");
        assertMalformed("malformed argument 'sentinel=2.5'", "sentinel=2.5");
        assertMalformed("malformed argument '=3': expected a service name before '='", "=3");
        assertMalformed("malformed argument 'sentinel=99999999999': the count is too large", "sentinel=99999999999");
    }

    @Test
    void aServiceGivenTwiceIsAUsageError() {
        assertMalformed("the Sentinel count is given twice", "sentinel=5", "sentinel=3");
        assertMalformed("the replica count is given twice (slave is a synonym of replica)", "slave=2", "replica=3");
    }

    @Test
    void unknownServicesAndTheMasterAreRefused() {
        UserException unknown = assertThrows(UserException.class, () -> parse("redis=3"));
        assertEquals(ExitCodes.REFUSED, unknown.exitCode());
        assertEquals("unknown service 'redis' in redis=3: expected sentinel, replica or slave", unknown.getMessage());

        UserException master = assertThrows(UserException.class, () -> parse("sentinel=5", "master=2"));
        assertEquals(ExitCodes.REFUSED, master.exitCode());
        assertTrue(master.getMessage().startsWith("master=2: a deployment has exactly one master"), master.getMessage());
    }

    @Test
    void aMalformedArgumentIsReportedBeforeARefusedOne() {
        assertMalformed("malformed argument 'sentinel'", "foo=2", "sentinel");
    }

    private static void assertMalformed(String expectedStart, String... args) {
        ScaleArguments.Malformed e = assertThrows(ScaleArguments.Malformed.class, () -> parse(args));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, "one line: " + e.getMessage());
    }
}
