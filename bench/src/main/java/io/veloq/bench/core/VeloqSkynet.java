package io.veloq.bench.core;

import static io.veloq.bench.core.SkynetBench.FANOUT;
import static io.veloq.bench.core.SkynetBench.LEAVES;

import io.veloq.core.Runtime;
import io.veloq.join.JoinHandle;
import java.util.concurrent.TimeUnit;

/** {@code skynet} on Veloq: every node is a {@code Runtime.spawn}ed task (stealable until it starts). */
final class VeloqSkynet implements SkynetBench.Side {

    private final Runtime runtime = VeloqRuntimes.withWorkers(BenchSupport.workers());

    @Override
    public long tree() throws Exception {
        return runtime.spawn(() -> node(0, LEAVES)).get(BenchSupport.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private long node(long num, int size) {
        if (size == 1) {
            return num;
        }
        int childSize = size / FANOUT;
        @SuppressWarnings({"unchecked", "rawtypes"})
        JoinHandle<Long>[] children = new JoinHandle[FANOUT];
        for (int i = 0; i < FANOUT; i++) {
            long childNum = num + (long) i * childSize;
            children[i] = runtime.spawn(() -> node(childNum, childSize));
        }
        long sum = 0;
        for (JoinHandle<Long> child : children) {
            sum += child.join();
        }
        return sum;
    }

    @Override
    public void close() {
        BenchSupport.shutdown(runtime);
    }
}
