package io.veloq.bench.core;

import io.veloq.bench.Better;
import io.veloq.bench.ForkedProbeScenario;
import io.veloq.bench.JmhScenario;
import io.veloq.bench.Metric;
import io.veloq.bench.Suite;
import java.util.List;

/** {@code bench/run core}: the scenarios of the core issue, section 6, in the order they are printed. */
public final class CoreSuite {

    /** Tasks parked at once in {@code parked_task_bytes}. */
    static final int PARKED_TASKS = 1_000_000;

    private CoreSuite() {
    }

    public static Suite suite() {
        return new Suite("core", "scheduler, spawn/join, mesh, memory", List.of(
                new JmhScenario("spawn_join_local", SpawnJoinLocalBench.class, "spawnJoin",
                        List.of("veloq", "fjp1", "vt_default", "tpe1"), "ops/s", Better.HIGHER),
                new JmhScenario("external_submit", ExternalSubmitBench.class, "submitBatch",
                        List.of("veloq", "tpe", "fjp"), "ops/s", Better.HIGHER),
                new JmhScenario("mesh_pingpong", MeshPingPongBench.class, "pingPong",
                        List.of("veloq", "spsc_floor", "lbq"), "ns/op", Better.LOWER),
                new JmhScenario("skynet", SkynetBench.class, "skynet",
                        List.of("veloq", "vt_default", "fjp"), "ms/op", Better.LOWER),
                new ForkedProbeScenario("parked_task_bytes", ParkedTaskProbe.class,
                        List.of(Integer.toString(PARKED_TASKS)), List.of("veloq", "vt_default"),
                        List.of("-Xmx6g"), List.of(new Metric("parked_task_bytes", "bytes/task", Better.LOWER)),
                        300)),
                VeloqRuntimes::describe);
    }
}
