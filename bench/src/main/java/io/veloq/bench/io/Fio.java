package io.veloq.bench.io;

import io.veloq.bench.Measurement;
import io.veloq.bench.Metric;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code fio} variant of the random-read scenarios — the floor: the same pattern as the Java
 * sides, issued by fio's io_uring engine in C.
 *
 * <p>Job: {@code --ioengine=io_uring --fixedbufs=1} (registered buffers, as Veloq's READ_FIXED),
 * {@code --rw=randread --bs=4k --iodepth=<depth> --numjobs=<N>}, {@code --direct=0|1}, on the data
 * file with {@code --readonly} and {@code --invalidate=0} (keep the page cache that the buffered
 * scenario wants), {@code --norandommap --randrepeat=0} (uniform positions with repeats, like the
 * Java sides), {@code --time_based --ramp_time=<warm-up> --runtime=<measured>}, one aggregated
 * result ({@code --group_reporting}) in terse format version 3, whose eighth field is the read IOPS.
 *
 * <p>fio comes from the Debian packages: {@code bench/run io} runs {@code bench/tools/install-io-tools.sh}
 * first. Stateless.
 */
final class Fio {

    static final String EXECUTABLE = "fio";

    /** Terse v3 fields (0-based): 0 version "3", 1 fio version, 2 job name, 3 group, 4 error, 5 read KiB, 6 read KiB/s, 7 read IOPS. */
    private static final int ERROR_FIELD = 4;
    private static final int READ_IOPS_FIELD = 7;

    private Fio() {
    }

    /** {@code fio --version} (e.g. {@code fio-3.33}), or empty when fio cannot be run. */
    static Optional<String> version() {
        try (ChildProcess fio = ChildProcess.start("fio-version", List.of(EXECUTABLE, "--version"))) {
            OptionalInt status = fio.waitFor(Duration.ofSeconds(10));
            String out = fio.output().strip();
            return status.isPresent() && status.getAsInt() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static List<String> command(RandomReads.Setup setup, Duration warmup, Duration measure) {
        return List.of(EXECUTABLE,
                "--name=randread",
                "--filename=" + setup.file(),
                "--size=" + setup.fileBytes(),
                "--readonly",
                "--ioengine=io_uring",
                "--fixedbufs=1",
                "--rw=randread",
                "--bs=" + RandomReads.BLOCK,
                "--iodepth=" + setup.depth(),
                "--numjobs=" + setup.workers(),
                "--direct=" + (setup.direct() ? 1 : 0),
                "--invalidate=0",
                "--norandommap",
                "--randrepeat=0",
                "--time_based",
                "--ramp_time=" + Math.max(0, warmup.toSeconds()),
                "--runtime=" + Math.max(1, measure.toSeconds()),
                "--group_reporting",
                "--output-format=terse",
                "--terse-version=3");
    }

    /**
     * The read IOPS of the first terse v3 line in fio's output.
     *
     * @throws IOException if there is no such line, its error field is not 0, or the IOPS field is
     *     not a positive number (the message quotes what was found)
     */
    static double readIops(String output) throws IOException {
        for (String line : output.lines().toList()) {
            String[] fields = line.strip().split(";", -1);
            if (fields.length <= READ_IOPS_FIELD || !fields[0].equals("3") || !fields[1].startsWith("fio-")) {
                continue;
            }
            if (!fields[ERROR_FIELD].equals("0")) {
                throw new IOException("fio reported error " + fields[ERROR_FIELD] + " for job " + fields[2]);
            }
            double iops;
            try {
                iops = Double.parseDouble(fields[READ_IOPS_FIELD]);
            } catch (NumberFormatException e) {
                throw new IOException("fio's read IOPS field is not a number: '" + fields[READ_IOPS_FIELD] + "'");
            }
            if (!(iops > 0)) {
                throw new IOException("fio measured no reads (read IOPS " + fields[READ_IOPS_FIELD] + ")");
            }
            return iops;
        }
        throw new IOException("no terse v3 result line in fio's output");
    }

    /** Runs fio {@code run.runs()} times; the mean IOPS, with half the spread as the error. */
    static Measurement measure(Metric metric, String variant, RandomReads.Setup setup, IoRunSettings run,
                               boolean verbose) {
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < run.runs(); i++) {
            try {
                scores.add(runOnce(setup, run, verbose));
            } catch (IOException e) {
                return metric.failed(variant, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return metric.failed(variant, "interrupted");
            } catch (IllegalStateException e) {
                return metric.failed(variant, e.getMessage()); // a fio process that could not be killed
            }
        }
        double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double spread = scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                - scores.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        return metric.of(variant, mean, scores.size() > 1 ? spread / 2 : Double.NaN);
    }

    private static double runOnce(RandomReads.Setup setup, IoRunSettings run, boolean verbose)
            throws IOException, InterruptedException {
        List<String> command = command(setup, run.warmup(), run.measure());
        try (ChildProcess fio = ChildProcess.start("fio", command)) {
            OptionalInt status = fio.waitFor(Duration.ofSeconds(run.processTimeoutSeconds()));
            String output = fio.output();
            if (verbose) {
                System.out.println(String.join(" ", command));
                System.out.println(output);
            }
            if (status.isEmpty()) {
                throw failure("fio did not finish within " + run.processTimeoutSeconds() + " s", fio);
            }
            if (status.getAsInt() != 0) {
                throw failure("fio exited with " + status.getAsInt(), fio);
            }
            try {
                return readIops(output);
            } catch (IOException e) {
                throw failure(e.getMessage(), fio);
            }
        }
    }

    private static IOException failure(String why, ChildProcess fio) {
        System.out.println("---- output of fio (last 40 lines) ----");
        System.out.println(fio.outputTail(40));
        System.out.println("---- end of fio output ----");
        return new IOException(why);
    }
}
