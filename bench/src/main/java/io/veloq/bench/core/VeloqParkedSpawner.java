package io.veloq.bench.core;

import io.veloq.core.Runtime;
import io.veloq.join.JoinHandle;
import java.util.concurrent.TimeUnit;

/** {@code parked_task_bytes} on Veloq: tasks {@code Runtime.spawn}ed from the probe's main thread. */
final class VeloqParkedSpawner implements ParkedTaskProbe.Spawner {

    private final Runtime runtime = VeloqRuntimes.withWorkers(BenchSupport.workers());

    @Override
    public Object spawn(Runnable body) {
        return runtime.spawn(body);
    }

    @Override
    public void await(Object handle, long timeoutNanos) throws Exception {
        ((JoinHandle<?>) handle).get(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        BenchSupport.shutdown(runtime);
    }
}
