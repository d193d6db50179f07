package io.veloq.bench.core;

import static io.veloq.bench.core.SpawnJoinLocalBench.BATCH;
import static io.veloq.bench.core.SpawnJoinLocalBench.BATCHES;

import io.veloq.core.Runtime;
import io.veloq.join.JoinHandle;
import java.util.concurrent.TimeUnit;

/**
 * {@code spawn_join_local} on Veloq: one driver task per operation (spawned from the benchmark
 * thread), which {@code spawnLocal}s each batch onto its own worker and joins it in spawn order.
 */
final class VeloqSpawnJoin implements SpawnJoinLocalBench.Side {

    private final Runtime runtime = VeloqRuntimes.withWorkers(BenchSupport.workers());

    @Override
    public long operation() throws Exception {
        return runtime.spawn(this::batches).get(BenchSupport.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private long batches() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        JoinHandle<Integer>[] handles = new JoinHandle[BATCH];
        long sum = 0;
        for (int b = 0; b < BATCHES; b++) {
            for (int i = 0; i < BATCH; i++) {
                int value = i;
                handles[i] = runtime.spawnLocal(() -> value);
            }
            for (int i = 0; i < BATCH; i++) {
                sum += handles[i].join();
            }
        }
        return sum;
    }

    @Override
    public void close() {
        BenchSupport.shutdown(runtime);
    }
}
