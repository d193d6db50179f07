package io.veloq.uring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** user_data packing and the op table's generations: stale and duplicate completions are never delivered. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpTableTest {

    @Test
    void userDataRoundTrips() {
        for (int slot : new int[] {0, 1, 4095, Integer.MAX_VALUE}) {
            for (int generation : new int[] {1, 2, 12345, UserData.MAX_GENERATION}) {
                long packed = UserData.pack(slot, generation);
                assertFalse(UserData.isInternal(packed));
                assertNotEquals(0L, packed, "no operation has user_data 0");
                assertEquals(slot, UserData.slot(packed));
                assertEquals(generation, UserData.generation(packed));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> UserData.pack(0, 0));
        assertThrows(IllegalArgumentException.class, () -> UserData.pack(-1, 1));
        assertEquals(1, UserData.nextGeneration(UserData.MAX_GENERATION), "generations wrap past 0");
    }

    @Test
    void internalUserDataIsDistinctFromEveryOperation() {
        Set<Long> internal = new HashSet<>(List.of(UserData.WAKE_READ, UserData.WAKE_MESSAGE, UserData.PARK_TIMEOUT,
                UserData.IGNORED, UserData.CANCEL_ALL, UserData.messageSent(7)));
        assertEquals(6, internal.size());
        for (long u : internal) {
            assertTrue(UserData.isInternal(u), UserData.toString(u));
        }
        assertTrue(UserData.isMessageSent(UserData.messageSent(123_456)));
        assertEquals(123_456, UserData.messageTarget(UserData.messageSent(123_456)));
        assertFalse(UserData.isMessageSent(UserData.WAKE_MESSAGE));
    }

    @Test
    void aCompletionForAnEarlierGenerationIsStale() {
        try (Arena arena = Arena.ofConfined()) {
            OpTable table = new OpTable(arena, 4, 16);
            OpTable.Slot first = table.acquire(Thread.currentThread(), ResultKind.PLAIN);
            long firstUse = first.userData();
            assertSame(first, table.lookup(firstUse));
            table.complete(first, 7, 0);
            table.release(first);

            OpTable.Slot again = table.acquire(Thread.currentThread(), ResultKind.PLAIN);
            assertSame(first, again, "the freed slot is reused");
            assertNotEquals(firstUse, again.userData(), "with a new generation");
            assertNull(table.lookup(firstUse), "the earlier use's completion is stale");
            assertEquals(1, table.staleCompletions());
            assertEquals(1, table.pending(), "and it did not complete the new use");

            assertSame(again, table.lookup(again.userData()));
            table.complete(again, 9, 0);
            assertNull(table.lookup(again.userData()), "a second completion for the same use is a duplicate");
            assertEquals(1, table.duplicateCompletions());
            assertEquals(9, again.result);
            table.release(again);
            assertNull(table.lookup(UserData.pack(1000, 1)), "a slot that does not exist");
            assertEquals(2, table.staleCompletions());
            assertEquals(0, table.inFlight());
        }
    }

    @Test
    void theTableGrowsToItsBoundWithStableTimespecs() {
        try (Arena arena = Arena.ofConfined()) {
            OpTable table = new OpTable(arena, 2, 8);
            List<OpTable.Slot> slots = new ArrayList<>();
            slots.add(table.acquire(Thread.currentThread(), ResultKind.FD));
            long firstTimespec = slots.get(0).timespec.address();
            for (int i = 1; i < 8; i++) {
                slots.add(table.acquire(Thread.currentThread(), ResultKind.PLAIN));
            }
            assertEquals(8, table.capacity());
            assertEquals(firstTimespec, slots.get(0).timespec.address(), "growing never moves a timespec");
            assertThrows(IllegalStateException.class, () -> table.acquire(Thread.currentThread(), ResultKind.PLAIN));
            Set<Integer> indexes = new HashSet<>();
            for (OpTable.Slot slot : slots) {
                assertTrue(indexes.add(slot.index));
            }
            assertThrows(IllegalStateException.class, () -> table.release(slots.get(3)),
                    "a slot cannot be released before its completion");
            for (OpTable.Slot slot : slots) {
                table.complete(slot, 0, 0);
                table.release(slot);
            }
            assertEquals(0, table.inFlight());
            assertEquals(0, table.pending());
        }
    }
}
