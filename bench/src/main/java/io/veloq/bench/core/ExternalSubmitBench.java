package io.veloq.bench.core;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@code external_submit}: {@link #SUBMITTERS} platform threads outside the executor each
 * {@code execute} a batch of {@link #BATCH} trivial tasks (each counts down the batch's latch), then
 * wait for the latch. Score: completed tasks per second over all submitters.
 *
 * <p>Sides, all with N = available processors threads: {@code veloq} ({@code Runtime.execute}, the
 * external path into the workers), {@code tpe} (ThreadPoolExecutor(N, N) on a LinkedBlockingQueue,
 * what {@code Executors.newFixedThreadPool(N)} builds), {@code fjp} (ForkJoinPool(N), external
 * submission queues).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(ExternalSubmitBench.SUBMITTERS)
public class ExternalSubmitBench {

    static final int SUBMITTERS = 2;
    static final int BATCH = 1000;

    @Param({"veloq", "tpe", "fjp"})
    public String variant;

    private ExecutorService executor;

    @Setup
    public void setUp() {
        int n = BenchSupport.workers();
        executor = switch (variant) {
            case "veloq" -> VeloqRuntimes.withWorkers(n);
            case "tpe" -> new ThreadPoolExecutor(n, n, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
            case "fjp" -> new ForkJoinPool(n);
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    @TearDown
    public void tearDown() {
        BenchSupport.shutdown(executor);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long submitBatch() throws Exception {
        return submitBatch(executor);
    }

    static long submitBatch(Executor executor) throws InterruptedException, TimeoutException {
        CountDownLatch done = new CountDownLatch(BATCH);
        Runnable task = done::countDown;
        for (int i = 0; i < BATCH; i++) {
            executor.execute(task);
        }
        if (!done.await(BenchSupport.WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new TimeoutException(done.getCount() + " of " + BATCH + " tasks not run after "
                    + BenchSupport.WAIT_SECONDS + " s");
        }
        return done.getCount();
    }
}
