package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.join.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Invariant 1: after its first run a task always resumes on the same worker. */
@Timeout(60)
class HomeBoundTest {

    @Test
    void aTaskThatParksManyTimesAlwaysResumesOnItsWorker() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).build()) {
            List<JoinHandle<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 40; t++) {
                int seed = t;
                tasks.add(rt.spawn(() -> {
                    int home = RuntimeContext.current().workerIndex();
                    int moves = 0;
                    for (int i = 0; i < 200; i++) {
                        switch ((i + seed) % 4) {
                            case 0 -> Thread.yield();
                            case 1 -> LockSupport.parkNanos(1000);
                            case 2 -> rt.spawnOn(1 - home, () -> 1).join(); // resumed from the other worker
                            default -> Thread.sleep(0, 1000);
                        }
                        if (RuntimeContext.current().workerIndex() != home) {
                            moves++;
                        }
                    }
                    return moves;
                }));
            }
            for (var t : tasks) {
                assertEquals(0, t.join(), "a task resumed on another worker");
            }
        }
    }

    @Test
    void stolenTasksBecomeHomeBoundOnTheThief() throws Exception {
        try (Runtime rt = Runtime.builder().workers(2).idleSpinRounds(1000).build()) {
            int moved = rt.spawnOn(0, () -> {
                List<JoinHandle<Integer>> hs = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    hs.add(rt.spawn(() -> {
                        int start = RuntimeContext.current().workerIndex();
                        Thread.yield();
                        LockSupport.parkNanos(100);
                        return RuntimeContext.current().workerIndex() == start ? 0 : 1;
                    }));
                }
                int m = 0;
                for (var h : hs) {
                    m += h.join();
                }
                return m;
            }).join();
            assertEquals(0, moved);
        }
    }
}
