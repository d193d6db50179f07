package io.veloq.core.sched;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LocalRunQueueTest {

    @Test
    void fifoAcrossGrowthAndWrapAround() {
        LocalRunQueue q = new LocalRunQueue(16);
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        assertNull(q.peek());
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 7 + round; i++) {
                q.offer(next++);
            }
            for (int i = 0; i < 5; i++) {
                assertEquals(expected, q.peek());
                assertEquals(expected++, q.poll());
            }
        }
        assertEquals(next - expected, q.size());
        List<Object> seen = new ArrayList<>();
        q.forEach(seen::add);
        assertEquals(next - expected, seen.size());
        assertEquals(expected, seen.get(0));
        while (!q.isEmpty()) {
            assertEquals(expected++, q.poll());
        }
        assertEquals(next, expected);
    }
}
