package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.join.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Idle workers steal not-yet-started spawn tasks; spawnLocal and spawnOn tasks are never stolen. */
@Timeout(60)
class StealingTest {

    @Test
    void anIdleWorkerStealsFromABusyOne() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            AtomicInteger onThief = new AtomicInteger();
            int[] outcome = rt.spawnOn(0, () -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    hs.add(rt.spawn(() -> {
                        int w = RuntimeContext.current().workerIndex();
                        if (w == 1) {
                            onThief.incrementAndGet();
                        }
                        return w;
                    }));
                }
                // Keep worker 0 busy without yielding: only a thief can run the tasks now.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (onThief.get() == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                int stolen = 0;
                for (var h : hs) {
                    stolen += h.join();
                }
                return new int[] {onThief.get(), stolen};
            }).get(30, TimeUnit.SECONDS);
            assertTrue(outcome[0] > 0, "no task was stolen by the idle worker");
            assertEquals(outcome[0], outcome[1]);
        }
    }

    @Test
    void pinnedPlacementsAreNeverStolen() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            int moved = rt.spawnOn(0, () -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    hs.add(i % 2 == 0 ? rt.spawnLocal(() -> RuntimeContext.current().workerIndex())
                            : rt.spawnOn(0, () -> RuntimeContext.current().workerIndex()));
                }
                // A negative check: no event marks "a steal did not happen", so worker 0 stays busy
                // for a short window in which the idle worker 1 could steal, were these stealable.
                // (anIdleWorkerStealsFromABusyOne shows that an idle worker does steal stealable tasks.)
                long spinUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                while (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                }
                int m = 0;
                for (var h : hs) {
                    m += h.join();
                }
                return m;
            }).get(30, TimeUnit.SECONDS);
            assertEquals(0, moved, "a spawnLocal/spawnOn task ran on another worker");
        }
    }
}
