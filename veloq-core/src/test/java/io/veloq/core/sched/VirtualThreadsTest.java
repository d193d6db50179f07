package io.veloq.core.sched;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class VirtualThreadsTest {

    /** Runs continuations on the test thread, one at a time. */
    private static final class ManualScheduler implements Executor {
        final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable command) {
            queue.add(command);
        }

        void runAll() {
            Runnable r;
            while ((r = queue.poll()) != null) {
                r.run();
            }
        }
    }

    @Test
    void threadsRunTheirContinuationsOnTheGivenScheduler() {
        ManualScheduler scheduler = new ManualScheduler();
        AtomicReference<Thread> carrier = new AtomicReference<>();
        AtomicReference<String> name = new AtomicReference<>();
        Thread t = VirtualThreads.factory(scheduler, "hooked", null).newThread(() -> {
            carrier.set(VirtualThreads.currentCarrier());
            name.set(Thread.currentThread().getName());
        });
        assertTrue(t.isVirtual());
        t.start();
        assertEquals(1, scheduler.queue.size(), "start hands the first continuation to the scheduler");
        scheduler.runAll();
        assertSame(Thread.currentThread(), carrier.get(), "the continuation ran on the thread that ran it");
        assertEquals("hooked", name.get());
        assertSame(Thread.currentThread(), VirtualThreads.currentCarrier());
    }

    @Test
    void resetDropsThreadLocals() {
        ThreadLocal<String> local = new ThreadLocal<>();
        AtomicReference<String> after = new AtomicReference<>("unset");
        ManualScheduler scheduler = new ManualScheduler();
        Thread t = VirtualThreads.newThread(scheduler, null, null, () -> {
            local.set("x");
            VirtualThreads.resetForNextTask(Thread.currentThread());
            after.set(local.get());
        });
        t.start();
        scheduler.runAll();
        assertNull(after.get());
    }
}
