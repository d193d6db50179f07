package io.veloq.core.timer;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TimerQueueTest {

    private final List<Throwable> errors = new ArrayList<>();
    private final TimerQueue timers = new TimerQueue(errors::add);

    @Test
    void emptyQueueHasNoDeadline() {
        assertTrue(timers.isEmpty());
        assertEquals(Long.MAX_VALUE, timers.nextDeadline());
        assertFalse(timers.hasDue(Long.MAX_VALUE));
        assertEquals(0, timers.runDue(Long.MAX_VALUE));
    }

    @Test
    void runsDueTimersInDeadlineThenSchedulingOrder() {
        List<String> ran = new ArrayList<>();
        timers.schedule(30, () -> ran.add("30"));
        timers.schedule(10, () -> ran.add("10a"));
        timers.schedule(20, () -> ran.add("20"));
        timers.schedule(10, () -> ran.add("10b"));
        assertEquals(10, timers.nextDeadline());
        assertFalse(timers.hasDue(9));
        assertEquals(3, timers.runDue(20));
        assertEquals(List.of("10a", "10b", "20"), ran);
        assertEquals(30, timers.nextDeadline());
        assertEquals(1, timers.size());
    }

    @Test
    void deadlinesCompareAcrossNanoTimeOverflow() {
        List<String> ran = new ArrayList<>();
        timers.schedule(Long.MAX_VALUE - 5, () -> ran.add("before wrap"));
        timers.schedule(Long.MIN_VALUE + 5, () -> ran.add("after wrap"));
        assertEquals(Long.MAX_VALUE - 5, timers.nextDeadline());
        timers.runDue(Long.MIN_VALUE + 10);
        assertEquals(List.of("before wrap", "after wrap"), ran);
    }

    @Test
    void cancelRemovesOnlyPendingTimers() {
        List<Integer> ran = new ArrayList<>();
        TimerHandle a = timers.schedule(1, () -> ran.add(1));
        TimerHandle b = timers.schedule(2, () -> ran.add(2));
        assertTrue(b.cancel());
        assertFalse(b.cancel());
        assertFalse(b.isPending());
        assertEquals(2, b.deadlineNanos());
        timers.runDue(5);
        assertFalse(a.cancel(), "a fired timer cannot be cancelled");
        assertEquals(List.of(1), ran);
    }

    @Test
    void aThrowingActionIsReportedAndTheOthersRun() {
        List<Integer> ran = new ArrayList<>();
        timers.schedule(1, () -> {
            throw new IllegalStateException("boom");
        });
        timers.schedule(2, () -> ran.add(2));
        assertEquals(2, timers.runDue(2));
        assertEquals(List.of(2), ran);
        assertEquals("boom", errors.get(0).getMessage());
    }

    @Test
    void clearDropsEverything() {
        TimerHandle h = timers.schedule(1, () -> fail("cleared timers must not run"));
        timers.clear();
        assertFalse(h.isPending());
        assertEquals(0, timers.runDue(100));
    }

    @Test
    void heapStaysOrderedUnderRandomScheduleAndCancel() {
        Random random = new Random(42);
        List<TimerHandle> handles = new ArrayList<>();
        List<Long> fired = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long deadline = random.nextInt(100_000);
            handles.add(timers.schedule(deadline, () -> fired.add(deadline)));
            if (random.nextInt(3) == 0) {
                handles.get(random.nextInt(handles.size())).cancel();
            }
        }
        long pending = handles.stream().filter(TimerHandle::isPending).count();
        timers.runDue(Long.MAX_VALUE / 2);
        assertEquals(pending, fired.size());
        for (int i = 1; i < fired.size(); i++) {
            assertTrue(fired.get(i - 1) <= fired.get(i));
        }
        assertThrows(NullPointerException.class, () -> timers.schedule(1, null));
        assertThrows(NullPointerException.class, () -> new TimerQueue(null));
    }
}
