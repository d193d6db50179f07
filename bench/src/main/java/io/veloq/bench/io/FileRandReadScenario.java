package io.veloq.bench.io;

import io.veloq.bench.Better;
import io.veloq.bench.ForkedProbeScenario;
import io.veloq.bench.Measurement;
import io.veloq.bench.Metric;
import io.veloq.bench.RunSettings;
import io.veloq.bench.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code file_randread_4k} (page cache) and {@code file_randread_4k_direct} (O_DIRECT): random 4 KiB
 * reads of the {@link DataFile}, {@value #DEPTH} in flight per worker, N workers; ops/s.
 *
 * <p>Variants: {@code veloq}, {@code filechannel_vt}, {@code async_filechannel} ({@link RandomReads},
 * each in its own {@link FileReadProbe} JVM) and {@code fio} ({@link Fio}, the floor). Before each
 * variant of the buffered scenario the whole file is read once, so every side starts with the file
 * in the page cache. The O_DIRECT scenario has no variants — and so is skipped, its reason in the
 * report header — when the data directory's file system refuses O_DIRECT.
 *
 * <p>Threading: the runner's main thread only.
 */
final class FileRandReadScenario implements Scenario {

    /** Reads in flight per worker (fio's iodepth). */
    static final int DEPTH = 32;

    static final List<String> VARIANTS = List.of("veloq", "filechannel_vt", "async_filechannel", "fio");

    private final String name;
    private final boolean direct;
    private final DataFile data;
    private final Metric metric;

    FileRandReadScenario(String name, boolean direct, DataFile data) {
        this.name = name;
        this.direct = direct;
        this.data = data;
        this.metric = new Metric(name, "ops/s", Better.HIGHER);
    }

    @Override
    public String name() {
        return name;
    }

    /** All four, or none for the O_DIRECT scenario where O_DIRECT is refused (the scenario is skipped). */
    @Override
    public List<String> variants() {
        return direct && data.directRefusal().isPresent() ? List.of() : VARIANTS;
    }

    /** Why this scenario is skipped, or null when it runs. */
    String skipReason() {
        return direct ? data.directRefusal().map(why -> name + " skipped: " + why).orElse(null) : null;
    }

    /** Loopback TCP and page-cache reads drift with the machine's state: runs alternate between variants. */
    @Override
    public boolean interleavesRuns() {
        return true;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(metric);
    }

    @Override
    public List<Measurement> run(String variant, RunSettings settings) {
        IoRunSettings run = IoRunSettings.of(settings);
        Path file;
        try {
            file = data.ensure();
            if (!direct) {
                data.warmPageCache();
            }
        } catch (IOException | RuntimeException e) {
            return List.of(metric.failed(variant, "cannot prepare the data file " + data.path() + ": " + e));
        }
        RandomReads.Setup setup = new RandomReads.Setup(file, data.bytes(), run.workers(), DEPTH, direct);
        if (variant.equals("fio")) {
            if (Fio.version().isEmpty()) {
                return List.of(metric.failed(variant, "fio is not installed (bench/tools/install-io-tools.sh, run by "
                        + "bench/run io, says why it could not install it)"));
            }
            return List.of(Fio.measure(metric, variant, setup, run, settings.verbose()));
        }
        if (!RandomReads.VARIANTS.contains(variant)) {
            return List.of(metric.failed(variant, "unknown variant " + variant));
        }
        List<String> args = new ArrayList<>(List.of(file.toString(), Integer.toString(run.workers()),
                Integer.toString(DEPTH), Boolean.toString(direct), Long.toString(run.warmup().toMillis()),
                Long.toString(run.measure().toMillis()), name));
        return new ForkedProbeScenario(name, FileReadProbe.class, args, List.of(variant), List.of(), List.of(metric),
                run.processTimeoutSeconds()).run(variant, settings);
    }
}
