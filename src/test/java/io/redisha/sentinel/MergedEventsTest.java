package io.redisha.sentinel;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MergedEventsTest {
    private static final long MS = 1_000_000;
    private static final String SWITCH = "mymaster 10.0.0.2 6379 10.0.0.3 6379";

    private final List<MergedEvents.Merged> out = new ArrayList<>();
    private final MergedEvents merged = new MergedEvents(3, Duration.ofMillis(500), out::add);

    private static SentinelEvent event(String sentinel, String type, String message, long ms) {
        return new SentinelEvent(sentinel, type, message, ms * MS);
    }

    @Test
    void theSameEventFromEverySentinelIsOneEventWithItsWitnessesPassedOnAtOnce() {
        merged.add(event("s-1", "+switch-master", SWITCH, 0));
        merged.add(event("s-3", "+switch-master", SWITCH, 2));
        assertEquals(List.of(), out, "waits for the third Sentinel, or the window");
        merged.add(event("s-2", "+switch-master", SWITCH, 3));
        assertEquals(1, out.size());
        assertEquals("+switch-master", out.get(0).type());
        assertEquals(SWITCH, out.get(0).message());
        assertEquals(List.of("s-1", "s-3", "s-2"), out.get(0).witnesses());
        merged.add(event("s-2", "+switch-master", SWITCH, 900));
        merged.flushDue(2000 * MS);
        assertEquals(1, out.size(), "a Sentinel telling it again soon after is not a new event");
    }

    @Test
    void anEventSomeSentinelsNeverTellIsPassedOnWhenItsWindowEndsAndOrderIsKept() {
        merged.add(event("s-1", "+sdown", "master mymaster 10.0.0.2 6379", 0));
        merged.add(event("s-2", "+odown", "master mymaster 10.0.0.2 6379 #quorum 2/2", 100));
        merged.add(event("s-2", "+sdown", "master mymaster 10.0.0.2 6379", 150));
        merged.flushDue(400 * MS);
        assertEquals(List.of(), out);
        merged.flushDue(520 * MS);
        assertEquals(List.of("+sdown"), out.stream().map(MergedEvents.Merged::type).toList());
        assertEquals(List.of("s-1", "s-2"), out.get(0).witnesses());
        merged.add(event("s-1", "+odown", "master mymaster 10.0.0.2 6379 #quorum 3/2", 200));
        merged.add(event("s-3", "+odown", "master mymaster 10.0.0.2 6379 #quorum 2/2", 300));
        assertEquals(List.of("+sdown", "+odown"), out.stream().map(MergedEvents.Merged::type).toList());
        assertEquals(List.of("s-2", "s-1", "s-3"), out.get(1).witnesses());
    }

    @Test
    void aLaterEventWitnessedByAllWaitsForAnEarlierOneSoTheOrderHolds() {
        merged.add(event("s-1", "+sdown", "master mymaster 10.0.0.2 6379", 0));
        for (String s : List.of("s-1", "s-2", "s-3")) {
            merged.add(event(s, "+new-epoch", "7", 10));
        }
        assertEquals(List.of("+sdown", "+new-epoch"), out.stream().map(MergedEvents.Merged::type).toList());
    }

    @Test
    void flushAllPassesOnWhatIsLeft() {
        merged.add(event("s-1", "-sdown", "slave 10.0.0.4:6379 10.0.0.4 6379 @ mymaster 10.0.0.3 6379", 0));
        merged.flushAll();
        assertEquals(1, out.size());
        assertEquals(List.of("s-1"), out.get(0).witnesses());
    }
}
