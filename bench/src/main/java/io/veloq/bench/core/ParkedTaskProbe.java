package io.veloq.bench.core;

import io.veloq.bench.ForkedProbeScenario;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code parked_task_bytes}: heap per parked task with many tasks parked at once, run as
 * {@code ParkedTaskProbe <variant> <count>} in a fresh JVM (see {@link ForkedProbeScenario}).
 *
 * <p>Steps: start the executor and run warm-up rounds of the same shape (classes loaded and
 * compiled, carriers started); take the used heap after GC until it is stable; start {@code count} tasks that each
 * record their thread and park in {@code LockSupport.park} until a gate opens, keeping each task's
 * handle (JoinHandle / Future) in a pre-allocated array; wait until every task is WAITING; take the
 * used heap after GC again. The difference over {@code count} is printed as {@code RESULT <bytes>}: it
 * holds the task object, its parked stack (a heap stack chunk), its handle, the task closure, and any
 * per-task bookkeeping of the executor. Then the gate opens and every task must finish.
 *
 * <p>Sides: {@code veloq} ({@code Runtime.spawn} on N workers) and {@code vt_default}
 * ({@code Executors.newVirtualThreadPerTaskExecutor().submit}).
 */
public final class ParkedTaskProbe {

    /**
     * Warm-up before the measured round: a parked stack is larger while the frames on it are still
     * interpreted, so the task body and the park path are JIT-compiled first. What remains is a
     * spread between JVMs (repeated rounds in one JVM agree): the parked frames' size depends on that
     * JVM's inlining decisions, which is why the full mode averages several probe JVMs.
     */
    private static final int WARMUP_ROUNDS = 3;
    private static final int WARMUP_TASKS = 20_000;

    /** Minimum gap between consecutive post-GC readings to call the heap stable. */
    private static final long STABLE_BYTES = 256 * 1024;

    private ParkedTaskProbe() {
    }

    /** Starts tasks and waits for their handles; one implementation per variant. */
    interface Spawner extends AutoCloseable {
        Object spawn(Runnable body);

        void await(Object handle, long timeoutNanos) throws Exception;

        @Override
        void close();
    }

    /** What the parked tasks share: the gate, the count that arrived, and where each records its thread. */
    static final class Gate {
        volatile boolean open;
        final AtomicInteger arrived = new AtomicInteger();
        final Thread[] threads;

        Gate(int count) {
            threads = new Thread[count];
        }

        Runnable task(int index) {
            return () -> {
                threads[index] = Thread.currentThread();
                arrived.incrementAndGet();
                while (!open && !Thread.currentThread().isInterrupted()) {
                    LockSupport.park(this);
                }
            };
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ParkedTaskProbe <veloq|vt_default> <count>");
            System.exit(2);
        }
        String variant = args[0];
        int count = Integer.parseInt(args[1]);
        try (Spawner spawner = switch (variant) {
            case "veloq" -> new VeloqParkedSpawner();
            case "vt_default" -> new VtDefault();
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        }) {
            for (int round = 0; round < WARMUP_ROUNDS; round++) {
                parkAndRelease(spawner, Math.min(count, WARMUP_TASKS), false);
            }
            double bytesPerTask = parkAndRelease(spawner, count, true);
            System.out.println(ForkedProbeScenario.RESULT_PREFIX + String.format(Locale.ROOT, "%.1f", bytesPerTask));
        }
    }

    /** Parks {@code count} tasks, optionally measures the heap they hold, releases and joins them all. */
    private static double parkAndRelease(Spawner spawner, int count, boolean measure) throws Exception {
        Gate gate = new Gate(count);
        Object[] handles = new Object[count];
        long before = measure ? usedHeapAfterGc() : 0;
        for (int i = 0; i < count; i++) {
            handles[i] = spawner.spawn(gate.task(i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BenchSupport.WAIT_SECONDS * 2);
        awaitAllParked(gate, count, deadline);
        long after = measure ? usedHeapAfterGc() : 0;
        if (measure) {
            System.out.printf(Locale.ROOT, "%s: %d tasks parked, used heap %d -> %d bytes%n",
                    spawner.getClass().getSimpleName(), count, before, after);
        }
        gate.open = true; // volatile write: every task that wakes after it sees the gate open
        for (Thread t : gate.threads) {
            LockSupport.unpark(t);
        }
        for (Object handle : handles) {
            spawner.await(handle, Math.max(1, deadline - System.nanoTime()));
        }
        return (double) (after - before) / count;
    }

    private static void awaitAllParked(Gate gate, int count, long deadline) throws Exception {
        while (gate.arrived.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(gate.arrived.get() + " of " + count + " tasks started");
            }
            Thread.sleep(10);
        }
        for (Thread t : gate.threads) {
            while (t.getState() != Thread.State.WAITING) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(t + " never parked: " + t.getState());
                }
                Thread.sleep(1);
            }
        }
    }

    /** Used heap after full GCs, repeated until two readings are within {@link #STABLE_BYTES}. */
    static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int attempt = 0; attempt < 20; attempt++) {
            System.gc();
            Thread.sleep(20);
            used = memory.getHeapMemoryUsage().getUsed();
            if (attempt >= 2 && Math.abs(previous - used) < STABLE_BYTES) {
                break;
            }
            previous = used;
        }
        return used;
    }

    static final class VtDefault implements Spawner {
        private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

        @Override
        public Object spawn(Runnable body) {
            return executor.submit(body);
        }

        @Override
        public void await(Object handle, long timeoutNanos) throws Exception {
            ((Future<?>) handle).get(timeoutNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            BenchSupport.shutdown(executor);
        }
    }
}
