package io.veloq.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Entry point of {@code bench/run}: runs every (scenario, variant) of one suite in its own JVM,
 * then prints the side-by-side table and the COMPARE lines and writes both to
 * {@code <results>/<suite>-<timestamp>.txt} ({@code -Dveloq.bench.results}, default {@code bench/results}).
 *
 * <p>Exit status: 0 when every variant produced a score, 1 when any failed, 2 on bad usage.
 */
public final class BenchMain {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private BenchMain() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.err.println("suites: " + Suites.all().stream().map(s -> s.name() + " (" + s.description() + ")")
                    .collect(Collectors.joining(", ")));
            System.exit(2);
            return;
        }
        Optional<Suite> suite = Suites.byName(options.suite());
        if (suite.isEmpty()) {
            System.err.println("unknown suite '" + options.suite() + "'; known: "
                    + Suites.all().stream().map(Suite::name).collect(Collectors.joining(", ")));
            System.exit(2);
            return;
        }
        System.exit(run(suite.get(), options, Path.of(System.getProperty("veloq.bench.results", "bench/results"))));
    }

    /** Runs the selected part of {@code suite}; returns the exit status (see the class comment). */
    static int run(Suite suite, BenchOptions options, Path resultsDir) {
        RunSettings settings = (options.quick() ? RunSettings.quick(options.verbose()) : RunSettings.full(options.verbose()))
                .withJvmArgs(options.propertyArgs());
        options.properties().forEach(System::setProperty); // the header's environment line sees them too
        LocalDateTime started = LocalDateTime.now();
        String header = header(suite, settings, started);
        System.out.print(header);

        List<Scenario> scenarios = suite.scenarios().stream().filter(s -> options.wantsScenario(s.name())).toList();
        int total = scenarios.stream().mapToInt(s -> (int) s.variants().stream().filter(options::wantsVariant).count()).sum();
        if (total == 0) {
            System.err.println("nothing selected: scenarios " + suite.scenarios().stream().map(Scenario::name).toList());
            return 2;
        }
        List<Measurement> measurements = new ArrayList<>();
        int index = 0;
        for (Scenario scenario : scenarios) {
            List<String> variants = scenario.variants().stream().filter(options::wantsVariant).toList();
            if (scenario.interleavesRuns() && settings.probeRuns() > 1) {
                measurements.addAll(runInterleaved(scenario, variants, settings, index, total));
                index += variants.size();
                continue;
            }
            for (String variant : variants) {
                index++;
                System.out.printf(Locale.ROOT, "[%d/%d] %s %s ...%n", index, total, scenario.name(), variant);
                long t0 = System.nanoTime();
                List<Measurement> results = scenario.run(variant, settings);
                printResults(index, total, variant, results, (System.nanoTime() - t0) / 1e9);
                measurements.addAll(results);
            }
        }

        String table = Report.table(measurements);
        String compares = String.join(System.lineSeparator(), Report.compareLines(measurements));
        double wall = java.time.Duration.between(started, LocalDateTime.now()).toMillis() / 1000.0;
        String body = System.lineSeparator() + table + System.lineSeparator()
                + (compares.isEmpty() ? "" : compares + System.lineSeparator())
                + String.format(Locale.ROOT, "(%d variants in %.0f s; load average %.2f at the end)%n", index, wall,
                        loadAverage());
        System.out.print(body);
        writeResults(resultsDir, suite, started, header + body);
        return measurements.stream().allMatch(Measurement::ok) ? 0 : 1;
    }

    /**
     * {@link Scenario#interleavesRuns()}: run r of every variant, then run r + 1 of every variant,
     * one probe run per call; then each variant's runs combined per metric (mean, half the spread
     * as the error; failed if any run failed, with its reason).
     */
    private static List<Measurement> runInterleaved(Scenario scenario, List<String> variants, RunSettings settings,
                                                    int index, int total) {
        int runs = settings.probeRuns();
        RunSettings once = settings.withProbeRuns(1);
        Map<String, List<List<Measurement>>> byVariant = new LinkedHashMap<>();
        Map<String, Double> seconds = new HashMap<>();
        for (int run = 1; run <= runs; run++) {
            for (int v = 0; v < variants.size(); v++) {
                String variant = variants.get(v);
                System.out.printf(Locale.ROOT, "[%d/%d] %s %s, run %d of %d ...%n", index + v + 1, total,
                        scenario.name(), variant, run, runs);
                long t0 = System.nanoTime();
                byVariant.computeIfAbsent(variant, k -> new ArrayList<>()).add(scenario.run(variant, once));
                seconds.merge(variant, (System.nanoTime() - t0) / 1e9, Double::sum);
            }
        }
        List<Measurement> combined = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            String variant = variants.get(v);
            List<Measurement> results = combine(scenario, variant, byVariant.get(variant));
            printResults(index + v + 1, total, variant, results, seconds.get(variant));
            combined.addAll(results);
        }
        return combined;
    }

    /** One measurement per metric of {@code scenario} from a variant's runs (each in metric order). */
    static List<Measurement> combine(Scenario scenario, String variant, List<List<Measurement>> runs) {
        List<Measurement> combined = new ArrayList<>();
        List<Metric> metrics = scenario.metrics();
        for (int m = 0; m < metrics.size(); m++) {
            Metric metric = metrics.get(m);
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            String failure = null;
            for (List<Measurement> run : runs) {
                Measurement one = run.get(m);
                if (!one.ok()) {
                    failure = failure != null ? failure : one.failure();
                    continue;
                }
                sum += one.score();
                min = Math.min(min, one.score());
                max = Math.max(max, one.score());
            }
            combined.add(failure != null ? metric.failed(variant, failure)
                    : metric.of(variant, sum / runs.size(), runs.size() > 1 ? (max - min) / 2 : Double.NaN));
        }
        return combined;
    }

    private static void printResults(int index, int total, String variant, List<Measurement> results, double seconds) {
        for (Measurement m : results) {
            System.out.printf(Locale.ROOT, "[%d/%d] %s %s: %s %s (%.0f s)%n", index, total, m.scenario(),
                    variant, m.ok() ? Report.number(m.score()) : "FAILED (" + m.failure() + ")", m.unit(), seconds);
        }
    }

    private static String header(Suite suite, RunSettings settings, LocalDateTime started) {
        String nl = System.lineSeparator();
        return "Veloq bench: suite " + suite.name() + " (" + suite.description() + "), "
                + (settings.quick() ? "quick" : "full") + " mode, started " + started.withNano(0) + nl
                + "  JDK " + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.name") + "), "
                + java.lang.Runtime.getRuntime().availableProcessors() + " CPUs, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + ", commit " + System.getProperty("veloq.bench.commit", "unknown")
                + String.format(Locale.ROOT, ", load average %.2f at start", loadAverage()) + nl
                + "  per variant: " + settings.forks() + " fork(s) x (" + settings.warmupIterations() + "x"
                + settings.warmupSeconds() + " s warm-up + " + settings.measureIterations() + "x"
                + settings.measureSeconds() + " s), probes " + settings.probeRuns() + " JVM(s)" + nl
                + "  JVM args: " + String.join(" ", settings.jvmArgs()) + nl
                + environment(suite)
                + "  ratio > 1 means Veloq is better (throughput: veloq/baseline; time, latency, bytes: baseline/veloq)" + nl
                + nl;
    }

    /** The 1-minute system load average (negative where unavailable): shows how busy the machine was. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String environment(Suite suite) {
        String line;
        try {
            line = suite.environment().get();
        } catch (RuntimeException e) {
            line = "environment unknown: " + e;
        }
        return line == null || line.isBlank() ? "" : "  " + line.strip() + System.lineSeparator();
    }

    private static void writeResults(Path dir, Suite suite, LocalDateTime started, String text) {
        Path file = dir.resolve(suite.name() + "-" + STAMP.format(started) + ".txt");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, text);
            System.out.println("results written to " + file.toAbsolutePath().normalize());
        } catch (IOException e) {
            System.err.println("cannot write " + file + ": " + e);
        }
    }
}
