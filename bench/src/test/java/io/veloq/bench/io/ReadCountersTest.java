package io.veloq.bench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReadCountersTest {

    @Test
    void theSumAddsEveryReadersIncrements() {
        ReadCounters counters = new ReadCounters(3);
        assertEquals(0, counters.sum());
        for (int i = 0; i < 5; i++) {
            counters.increment(0);
        }
        counters.increment(2);
        assertEquals(6, counters.sum());
        assertEquals(3, counters.readers());
    }

    @Test
    void concurrentReadersEachOwningASlotLoseNothing() throws InterruptedException {
        int readers = 4;
        int each = 100_000;
        ReadCounters counters = new ReadCounters(readers);
        Thread[] threads = new Thread[readers];
        for (int r = 0; r < readers; r++) {
            int reader = r;
            threads[r] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    counters.increment(reader);
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals((long) readers * each, counters.sum());
    }

    @Test
    void needsAReader() {
        assertThrows(IllegalArgumentException.class, () -> new ReadCounters(0));
    }
}
