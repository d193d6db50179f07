package io.veloq.bench.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code skynet}: the classic skynet benchmark. Node (num, size) with size 1 returns num; otherwise
 * it spawns {@link #FANOUT} children (num + i·size/10, size/10), joins them all and returns the sum.
 * The root (0, {@link #LEAVES}) makes 1,111,111 tasks (10^6 leaves); the sum 499999500000 is checked.
 * Score: milliseconds per whole tree.
 *
 * <p>Every node is a task on every side (no inline compute of one child), all children are spawned
 * before the first join, and each side uses N = available processors threads:
 * {@code veloq} ({@code Runtime.spawn}, stealable before it starts, joined with {@code join()}),
 * {@code vt_default} (one {@code newVirtualThreadPerTaskExecutor()}, submit + get, default scheduler)
 * and {@code fjp} (ForkJoinPool(N), RecursiveTask fork, joins in reverse order as fork/join intends).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SkynetBench {

    static final int LEAVES = 1_000_000;
    static final int FANOUT = 10;
    static final long EXPECTED = (long) LEAVES * (LEAVES - 1) / 2;

    @Param({"veloq", "vt_default", "fjp"})
    public String variant;

    private Side side;

    /** One side of the comparison: {@link #tree()} builds and sums one whole tree. */
    interface Side extends AutoCloseable {
        long tree() throws Exception;

        @Override
        void close();
    }

    @Setup
    public void setUp() {
        side = switch (variant) {
            case "veloq" -> new VeloqSkynet();
            case "vt_default" -> new VtDefault();
            case "fjp" -> new Fjp();
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    @TearDown
    public void tearDown() {
        side.close();
    }

    @Benchmark
    public long skynet() throws Exception {
        long sum = side.tree();
        BenchSupport.check(sum, EXPECTED, "skynet " + variant);
        return sum;
    }

    static final class VtDefault implements Side {
        private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

        @Override
        public long tree() throws Exception {
            return executor.submit(() -> node(0, LEAVES)).get(BenchSupport.WAIT_SECONDS, TimeUnit.SECONDS);
        }

        private long node(long num, int size) throws Exception {
            if (size == 1) {
                return num;
            }
            int childSize = size / FANOUT;
            @SuppressWarnings({"unchecked", "rawtypes"})
            Future<Long>[] children = new Future[FANOUT];
            for (int i = 0; i < FANOUT; i++) {
                long childNum = num + (long) i * childSize;
                children[i] = executor.submit(() -> node(childNum, childSize));
            }
            long sum = 0;
            for (Future<Long> child : children) {
                sum += child.get();
            }
            return sum;
        }

        @Override
        public void close() {
            BenchSupport.shutdown(executor);
        }
    }

    static final class Fjp implements Side {
        private final ForkJoinPool pool = new ForkJoinPool(BenchSupport.workers());

        @Override
        public long tree() {
            return pool.invoke(new Node(0, LEAVES));
        }

        @Override
        public void close() {
            BenchSupport.shutdown(pool);
        }

        static final class Node extends RecursiveTask<Long> {
            private final long num;
            private final int size;

            Node(long num, int size) {
                this.num = num;
                this.size = size;
            }

            @Override
            protected Long compute() {
                if (size == 1) {
                    return num;
                }
                int childSize = size / FANOUT;
                Node[] children = new Node[FANOUT];
                for (int i = 0; i < FANOUT; i++) {
                    children[i] = new Node(num + (long) i * childSize, childSize);
                    children[i].fork();
                }
                long sum = 0;
                for (int i = FANOUT - 1; i >= 0; i--) {
                    sum += children[i].join();
                }
                return sum;
            }
        }
    }
}
