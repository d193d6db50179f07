package io.veloq.bench.io;

import io.veloq.bench.ForkedProbeScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The Java sides of {@code file_randread_4k} and {@code file_randread_4k_direct}, one per JVM:
 * {@code FileReadProbe <variant> <file> <workers> <depth> <direct> <warmup-ms> <measure-ms> <metric>};
 * prints {@code RESULT <metric> <reads per second>} (see {@link ForkedProbeScenario}).
 *
 * <p>Steps: start the side's readers ({@link RandomReads}); let them run for the warm-up (JIT,
 * carriers, pools); read the sum of the counters; sleep the measured time; read the sum again:
 * ops/s = difference / elapsed; then stop the readers, which must all end without failure, or the
 * probe exits with status 1 and no score.
 */
public final class FileReadProbe {

    private FileReadProbe() {
    }

    /**
     * Runs {@code reads} for warm-up plus measure and returns the measured reads per second; closes
     * it (rethrowing a reader's failure) either way.
     */
    static double measure(RandomReads reads, Duration warmup, Duration measure) throws Exception {
        double perSecond;
        try (reads) {
            reads.start();
            sleepUnlessFailed(reads, warmup);
            long before = reads.counters.sum();
            long start = System.nanoTime();
            sleepUnlessFailed(reads, measure);
            long after = reads.counters.sum();
            long end = System.nanoTime();
            perSecond = (after - before) / ((end - start) / 1e9);
        }
        return perSecond;
    }

    private static void sleepUnlessFailed(RandomReads reads, Duration duration) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        long left;
        while (reads.failure() == null && (left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Duration.ofNanos(Math.min(left, 50_000_000L)));
        }
        reads.rethrowFailure();
    }

    public static void main(String[] args) {
        if (args.length != 8) {
            System.err.println("usage: FileReadProbe <variant> <file> <workers> <depth> <direct> <warmup-ms>"
                    + " <measure-ms> <metric>");
            System.exit(2);
        }
        int status = 0;
        try {
            Path file = Path.of(args[1]);
            RandomReads.Setup setup = new RandomReads.Setup(file, Files.size(file), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]));
            RandomReads reads = RandomReads.of(args[0], setup, new ReadCounters(setup.readers()));
            Duration warmup = Duration.ofMillis(Long.parseLong(args[5]));
            Duration measure = Duration.ofMillis(Long.parseLong(args[6]));
            double perSecond = measure(reads, warmup, measure);
            System.out.println(reads.describe());
            System.out.printf(Locale.ROOT, "%s%s %.1f%n", ForkedProbeScenario.RESULT_PREFIX, args[7], perSecond);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            status = 1;
        }
        System.out.flush();
        System.exit(status); // also ends any thread a failed side could not stop

    }
}
