package io.redisha.backend.docker;

import io.redisha.backend.EngineState;
import io.redisha.backend.EngineState.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What doctor learns of an engine that is not there, without one. */
class EngineProbeTest {
    @Test
    void aSocketThatDoesNotExistIsSaidSoWithoutTryingToConnect(@TempDir Path dir) {
        EngineState state = EngineProbe.probe("unix://" + dir.resolve("docker.sock"));
        assertEquals(Problem.SOCKET_MISSING, state.problem());
        assertEquals("unix://" + dir.resolve("docker.sock"), state.host());
        assertNull(state.version());
    }

    @Test
    void anAddressWhereNothingListensIsUnreachableWithTheClientsWords() {
        // port 1 on the loopback: nothing listens there
        EngineState state = EngineProbe.probe("tcp://127.0.0.1:1");
        assertEquals(Problem.UNREACHABLE, state.problem());
        assertNotNull(state.message());
        assertNull(state.apiVersion());
    }
}
