package io.redisha.failover;

import io.redisha.backend.FaultKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailoverOptionsTest {
    private static final FaultKind PAUSE = new FaultKind("pause", "paused", "unpaused", false, "");
    private static final FaultKind PARTITION = new FaultKind(FaultKind.PARTITION, "partitioned", "rejoined", false, "");

    private static FailoverOptions options(List<FaultKind> faults, Duration partition) {
        return new FailoverOptions(faults, 5, 50, null, Duration.ofSeconds(60), null, partition, 0);
    }

    @Test
    void aFaultListIsCycledOverTheRounds() {
        FailoverOptions o = options(List.of(PAUSE, PARTITION), null);
        assertEquals(List.of(PAUSE, PARTITION, PAUSE, PARTITION, PAUSE),
                List.of(o.faultOf(1), o.faultOf(2), o.faultOf(3), o.faultOf(4), o.faultOf(5)));
        assertEquals("pause,partition", o.faultNames());
        assertTrue(o.partitions());
        assertFalse(options(List.of(PAUSE), null).partitions());
    }

    @Test
    void theDefaultPartitionOutlastsDetectionAndFailoverByAMargin() {
        assertEquals(Duration.ofSeconds(15), options(List.of(PARTITION), null).partitionLength(5000, 5000));
        assertEquals(Duration.ofMillis(13_000), options(List.of(PARTITION), null).partitionLength(3000, 5000));
        assertEquals(Duration.ofSeconds(60), options(List.of(PARTITION), Duration.ofSeconds(60)).partitionLength(5000, 5000));
    }
}
