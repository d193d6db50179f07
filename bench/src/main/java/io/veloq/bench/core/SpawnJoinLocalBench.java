package io.veloq.bench.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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

/**
 * {@code spawn_join_local}: spawn + join of trivial tasks from inside the executor, in batches of
 * {@link #BATCH} outstanding tasks; one operation is {@link #BATCHES} batches, entered once from the
 * benchmark thread, and the score is per task (ops/s = tasks/s).
 *
 * <p>A trivial task returns its index; every side allocates one small task object capturing it and
 * sums the joined results, which are checked. Sides:
 * <ul>
 *   <li>{@code veloq}: a runtime of N workers; the batch driver is one task, which {@code spawnLocal}s
 *       the batch on its own worker and joins in spawn order (the run queue is FIFO).</li>
 *   <li>{@code fjp1}: ForkJoinPool(1); the driver is a RecursiveTask that forks the batch and joins in
 *       reverse order (the fork/join idiom: each join pops the top of the worker's own deque).</li>
 *   <li>{@code vt_default}: {@code Executors.newVirtualThreadPerTaskExecutor()}; the driver is one
 *       virtual thread that submits the batch to the same executor and gets each future in order.</li>
 *   <li>{@code tpe1}: ThreadPoolExecutor(1); the benchmark thread submits and gets. It cannot be done
 *       from inside: the only worker would wait for tasks queued behind itself.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpawnJoinLocalBench {

    /** Tasks spawned before the first join of a batch. */
    static final int BATCH = 1000;
    /** Batches per operation: amortizes the one entry into the executor per operation. */
    static final int BATCHES = 10;
    static final int TASKS = BATCH * BATCHES;
    /** Sum of the results of one operation. */
    static final long EXPECTED = (long) BATCHES * BATCH * (BATCH - 1) / 2;

    @Param({"veloq", "fjp1", "vt_default", "tpe1"})
    public String variant;

    private Side side;

    /** One side of the comparison; {@link #operation()} runs {@link #BATCHES} batches and returns the sum. */
    interface Side extends AutoCloseable {
        long operation() throws Exception;

        @Override
        void close();
    }

    @Setup
    public void setUp() {
        side = switch (variant) {
            case "veloq" -> new VeloqSpawnJoin();
            case "fjp1" -> new Fjp1();
            case "vt_default" -> new VtDefault();
            case "tpe1" -> new Tpe1();
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    @TearDown
    public void tearDown() {
        side.close();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long spawnJoin() throws Exception {
        long sum = side.operation();
        BenchSupport.check(sum, EXPECTED, "spawn_join_local " + variant);
        return sum;
    }

    static final class Fjp1 implements Side {
        private final ForkJoinPool pool = new ForkJoinPool(1);

        @Override
        public long operation() {
            return pool.invoke(new Driver());
        }

        @Override
        public void close() {
            BenchSupport.shutdown(pool);
        }

        static final class Driver extends RecursiveTask<Long> {
            @Override
            protected Long compute() {
                Leaf[] leaves = new Leaf[BATCH];
                long sum = 0;
                for (int b = 0; b < BATCHES; b++) {
                    for (int i = 0; i < BATCH; i++) {
                        leaves[i] = new Leaf(i);
                        leaves[i].fork();
                    }
                    for (int i = BATCH - 1; i >= 0; i--) {
                        sum += leaves[i].join();
                    }
                }
                return sum;
            }
        }

        static final class Leaf extends RecursiveTask<Integer> {
            private final int value;

            Leaf(int value) {
                this.value = value;
            }

            @Override
            protected Integer compute() {
                return value;
            }
        }
    }

    static final class VtDefault implements Side {
        private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

        @Override
        public long operation() throws Exception {
            return executor.submit(this::batches).get(BenchSupport.WAIT_SECONDS, TimeUnit.SECONDS);
        }

        private long batches() throws Exception {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Future<Integer>[] futures = new Future[BATCH];
            long sum = 0;
            for (int b = 0; b < BATCHES; b++) {
                for (int i = 0; i < BATCH; i++) {
                    int value = i;
                    futures[i] = executor.submit(() -> value);
                }
                for (int i = 0; i < BATCH; i++) {
                    sum += futures[i].get();
                }
            }
            return sum;
        }

        @Override
        public void close() {
            BenchSupport.shutdown(executor);
        }
    }

    static final class Tpe1 implements Side {
        private final ThreadPoolExecutor executor =
                new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());

        @Override
        public long operation() throws Exception {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Future<Integer>[] futures = new Future[BATCH];
            long sum = 0;
            for (int b = 0; b < BATCHES; b++) {
                for (int i = 0; i < BATCH; i++) {
                    int value = i;
                    futures[i] = executor.submit(() -> value);
                }
                for (int i = 0; i < BATCH; i++) {
                    sum += futures[i].get(BenchSupport.WAIT_SECONDS, TimeUnit.SECONDS);
                }
            }
            return sum;
        }

        @Override
        public void close() {
            BenchSupport.shutdown(executor);
        }
    }
}
