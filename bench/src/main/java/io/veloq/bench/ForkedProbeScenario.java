package io.veloq.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A scenario measured outside JMH by a probe {@code main} run in a fresh JVM per variant and run,
 * for figures that need a clean heap (e.g. bytes per parked task) or several processes.
 *
 * <p>Probe protocol: it is called as {@code <probeMain> <variant> <args...>} and prints, for each
 * metric, a line {@code RESULT <metric> <score>}; a scenario with one metric may print just
 * {@code RESULT <score>}. The last line per metric wins; all other output is kept and shown only if
 * the run fails (a non-zero exit, a timeout, or a metric without a score). With several runs the
 * score is their mean and the error half their spread.
 */
public final class ForkedProbeScenario implements Scenario {

    /** Prefix of a probe's result lines. */
    public static final String RESULT_PREFIX = "RESULT ";

    private final String name;
    private final Class<?> probeMain;
    private final List<String> probeArgs;
    private final List<String> variants;
    private final List<String> extraJvmArgs;
    private final List<Metric> metrics;
    private final long timeoutSeconds;

    /**
     * @param extraJvmArgs   appended after the settings' JVM arguments (a later -Xmx wins)
     * @param metrics        what the probe prints, the first usually named like the scenario
     * @param timeoutSeconds per probe JVM; then it is killed and the variant fails
     */
    public ForkedProbeScenario(String name, Class<?> probeMain, List<String> probeArgs, List<String> variants,
                               List<String> extraJvmArgs, List<Metric> metrics, long timeoutSeconds) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException(name + ": no metrics");
        }
        this.name = name;
        this.probeMain = probeMain;
        this.probeArgs = List.copyOf(probeArgs);
        this.variants = List.copyOf(variants);
        this.extraJvmArgs = List.copyOf(extraJvmArgs);
        this.metrics = List.copyOf(metrics);
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> variants() {
        return variants;
    }

    @Override
    public List<Metric> metrics() {
        return metrics;
    }

    @Override
    public List<Measurement> run(String variant, RunSettings settings) {
        Map<String, List<Double>> scores = new HashMap<>();
        for (int run = 0; run < settings.probeRuns(); run++) {
            try {
                runOnce(variant, settings).forEach((metric, score) ->
                        scores.computeIfAbsent(metric, k -> new ArrayList<>()).add(score));
            } catch (ProbeFailure e) {
                return metrics.stream().map(m -> m.failed(variant, e.getMessage())).toList();
            }
        }
        return metrics.stream().map(m -> summarize(m, variant, scores.get(m.name()))).toList();
    }

    private static Measurement summarize(Metric metric, String variant, List<Double> scores) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            sum += s;
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        return metric.of(variant, sum / scores.size(), scores.size() > 1 ? (max - min) / 2 : Double.NaN);
    }

    /** One probe JVM: a score for every metric, or a ProbeFailure with the reason. */
    private Map<String, Double> runOnce(String variant, RunSettings settings) throws ProbeFailure {
        List<String> command = new ArrayList<>();
        command.add(RunSettings.javaLauncher().toString());
        command.addAll(settings.jvmArgs());
        command.addAll(extraJvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(probeMain.getName());
        command.add(variant);
        command.addAll(probeArgs);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new ProbeFailure("cannot start " + command.getFirst() + ": " + e.getMessage());
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw failure(variant, "timed out after " + timeoutSeconds + " s", output.getNow(""));
            }
            String log = output.get(10, TimeUnit.SECONDS);
            if (settings.verbose()) {
                System.out.print(log);
            }
            if (process.exitValue() != 0) {
                throw failure(variant, "probe exited with " + process.exitValue(), log);
            }
            Map<String, Double> results = parseResults(log, metrics.getFirst().name());
            for (Metric m : metrics) {
                if (!results.containsKey(m.name())) {
                    throw failure(variant, "probe printed no score for " + m.name(), log);
                }
            }
            return results;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ProbeFailure("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new ProbeFailure("cannot read probe output: " + e);
        }
    }

    /**
     * Scores by metric from {@code RESULT <metric> <score>} lines ({@code RESULT <score>} counts for
     * {@code defaultMetric}); the last line per metric wins, lines whose score is not a number are ignored.
     */
    static Map<String, Double> parseResults(String log, String defaultMetric) {
        Map<String, Double> results = new LinkedHashMap<>();
        for (String line : log.lines().toList()) {
            if (!line.startsWith(RESULT_PREFIX)) {
                continue;
            }
            String[] words = line.substring(RESULT_PREFIX.length()).strip().split("\\s+");
            String metric = words.length == 2 ? words[0] : defaultMetric;
            try {
                if (words.length == 1 || words.length == 2) {
                    results.put(metric, Double.parseDouble(words[words.length - 1]));
                }
            } catch (NumberFormatException e) {
                // not a score: ignore the line, like any other probe output
            }
        }
        return results;
    }

    private ProbeFailure failure(String variant, String why, String log) {
        System.out.println("---- output of " + name + " " + variant + " probe (last 40 lines) ----");
        System.out.println(JmhScenario.tail(log, 40));
        System.out.println("---- end of probe output ----");
        return new ProbeFailure(why);
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    /** A probe run that produced no score; the message is the one-line reason. */
    private static final class ProbeFailure extends Exception {
        ProbeFailure(String message) {
            super(message, null, false, false);
        }
    }
}
