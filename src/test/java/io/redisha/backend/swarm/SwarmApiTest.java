package io.redisha.backend.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SwarmApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tasks Swarm's reaper deletes on its own: to be removed, and not between assigned and running. */
    @ParameterizedTest
    @CsvSource({
            "remove, shutdown, true", "remove, complete, true", "remove, failed, true", "remove, rejected, true",
            "remove, pending, true", "remove, new, true",
            "remove, assigned, false", "remove, starting, false", "remove, running, false",
            "shutdown, shutdown, false", "running, complete, false", "running, running, false"})
    void aTaskIsBeingReapedOnlyWhenItIsToBeRemovedAndNoLongerOrNotYetOnItsNode(String desired, String state,
                                                                             boolean reaped) throws Exception {
        var task = JSON.readTree("{\"DesiredState\":\"" + desired + "\",\"Status\":{\"State\":\"" + state + "\"}}");
        assertEquals(reaped, SwarmApi.beingReaped(task));
    }
}
