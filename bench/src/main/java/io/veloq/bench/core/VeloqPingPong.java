package io.veloq.bench.core;

import io.veloq.core.Runtime;
import io.veloq.join.JoinHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code mesh_pingpong} on Veloq: the pinger is a task on worker 0 (one per operation), the echo a
 * task on worker 1 (for the whole trial). A message is a sequence number written to a volatile field
 * followed by {@code LockSupport.unpark} of the receiver, which parks until it sees a new number; the
 * unpark issued on one worker reaches the receiver's home worker through the runtime's mesh.
 *
 * <p>Threading: {@link #ping} is written by the pinger (and by {@link #close} to stop), read by the
 * echo; {@link #pong} is written by the echo, read by the pinger. {@link #pinger} is published before
 * the first ping of each operation, so the echo's volatile read of {@link #ping} makes it visible.
 */
final class VeloqPingPong implements MeshPingPongBench.Side {

    private static final int STOP = -1;

    private final Runtime runtime = VeloqRuntimes.withWorkers(Math.max(2, BenchSupport.workers()));
    private final JoinHandle<?> echo;
    private volatile int ping;
    private volatile int pong;
    private volatile Thread pinger;
    private volatile Thread echoThread;
    /** Last sequence number sent; touched only by pinger tasks, which are ordered by spawn and join. */
    private int sequence;

    VeloqPingPong() {
        echo = runtime.spawnOn(1, this::echoLoop);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BenchSupport.WAIT_SECONDS);
        while (echoThread == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the echo task never started on worker 1");
            }
            Thread.onSpinWait();
        }
    }

    private void echoLoop() {
        echoThread = Thread.currentThread();
        int seen = 0;
        while (true) {
            int received;
            while ((received = ping) == seen) {
                LockSupport.park(this);
                stopIfInterrupted();
            }
            if (received == STOP) {
                return;
            }
            seen = received;
            pong = received;
            LockSupport.unpark(pinger);
        }
    }

    @Override
    public void roundTrips(int count) throws Exception {
        runtime.spawnOn(0, () -> pingLoop(count)).get(BenchSupport.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private void pingLoop(int count) {
        pinger = Thread.currentThread();
        Thread receiver = echoThread;
        for (int i = 0; i < count; i++) {
            int sent = ++sequence;
            ping = sent;
            LockSupport.unpark(receiver);
            while (pong != sent) {
                LockSupport.park(this);
                stopIfInterrupted();
            }
        }
    }

    /** shutdownNow interrupts: end instead of spinning on a park that returns at once. */
    private static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted while waiting for the other side");
        }
    }

    @Override
    public void close() {
        ping = STOP;
        LockSupport.unpark(echoThread);
        try {
            echo.get(BenchSupport.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("echo task did not stop", e);
        } finally {
            BenchSupport.shutdown(runtime);
        }
    }
}
