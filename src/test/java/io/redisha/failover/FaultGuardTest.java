package io.redisha.failover;

import io.redisha.backend.Backend;
import io.redisha.backend.FaultKind;
import io.redisha.backend.Node;
import io.redisha.backend.NodeState;
import io.redisha.backend.Service;
import io.redisha.backend.docker.SingleEngineBackend;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class FaultGuardTest {
    private static final Node MASTER = new Node("id", "shop-redis-1", Service.MASTER, 1, NodeState.RUNNING, "10.0.0.2",
            null, "redis:7", null);

    private final List<String> steps = new ArrayList<>();

    /** A backend whose heal says whether it had anything to undo. */
    private static Backend healing(boolean somethingToUndo) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "heal" -> somethingToUndo;
                    case "inject" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private FaultGuard injected(FaultKind fault, boolean somethingToUndo, String keepDownReason) {
        FaultGuard guard = new FaultGuard(fault, healing(somethingToUndo), MASTER, steps::add, keepDownReason);
        guard.inject();
        return guard;
    }

    @Test
    void aFaultUndoneSaysWhenAndHow() {
        try (FaultGuard guard = injected(SingleEngineBackend.PAUSE, true, null)) {
            long before = System.nanoTime();
            guard.heal();
            assertNotNull(guard.undoneAt());
            assertEquals(true, guard.undoneAt() >= before);
            assertNull(guard.nothingToUndoNote());
            assertEquals(List.of("unpaused shop-redis-1"), steps);
        }
    }

    @Test
    void restartFastLeavesNothingToUndoAndTheRoundSaysSoInsteadOfATime() {
        try (FaultGuard guard = injected(SingleEngineBackend.RESTART_FAST, false, null)) {
            guard.heal();
            assertNull(guard.undoneAt(), "nothing was undone, so there is no time of undoing");
            assertEquals("nothing to undo: the engine had started shop-redis-1 again at once (restart-fast)",
                    guard.nothingToUndoNote());
            assertEquals(List.of(), steps);
        }
    }

    @Test
    void aRestartFastWhoseRestartLeftTheNodeStoppedIsStarted() {
        try (FaultGuard guard = injected(SingleEngineBackend.RESTART_FAST, true, null)) {
            guard.heal();
            assertNotNull(guard.undoneAt());
            assertEquals(List.of("started shop-redis-1"), steps);
        }
    }

    @Test
    void aFaultAlreadyOverIsNotReportedAsUndone() {
        try (FaultGuard guard = injected(SingleEngineBackend.PARTITION, false, null)) {
            guard.heal();
            assertNull(guard.undoneAt());
            assertEquals("nothing to undo: shop-redis-1 was no longer partitioned when redisha came to undo the fault",
                    guard.nothingToUndoNote());
        }
    }

    @Test
    void aMasterLeftDownIsNeitherUndoneNorNothingToUndo() {
        try (FaultGuard guard = injected(SingleEngineBackend.KILL, true, "it has no append-only file")) {
            guard.heal();
            assertNull(guard.undoneAt());
            assertNull(guard.nothingToUndoNote(), "the left-down note says it");
            assertEquals(true, guard.leftDown());
        }
    }
}
