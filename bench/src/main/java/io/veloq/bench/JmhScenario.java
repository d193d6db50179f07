package io.veloq.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * A scenario measured by one JMH benchmark method whose {@code @Param("variant")} selects the side:
 * every variant runs in its own fork(s) with the same options, so the figures are comparable.
 *
 * <p>JMH's own output is kept in memory and shown only when the variant fails (or streamed live
 * with {@code --verbose}).
 */
public final class JmhScenario implements Scenario {

    /** Name of the {@code @Param} every scenario benchmark declares. */
    public static final String VARIANT_PARAM = "variant";

    /** Per-iteration limit; benchmark code bounds its own waits well below this. */
    private static final TimeValue ITERATION_TIMEOUT = TimeValue.minutes(2);

    private final String name;
    private final Class<?> benchmark;
    private final String method;
    private final List<String> variants;
    private final Metric metric;

    /**
     * @param benchmark the JMH class; {@code method} its {@code @Benchmark} method
     * @param unit      the unit JMH reports for it (checked against the result)
     */
    public JmhScenario(String name, Class<?> benchmark, String method, List<String> variants, String unit,
                       Better better) {
        this.name = name;
        this.benchmark = benchmark;
        this.method = method;
        this.variants = List.copyOf(variants);
        this.metric = new Metric(name, unit, better);
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
        return List.of(metric);
    }

    /** The JMH include pattern that selects exactly this scenario's benchmark method. */
    public String includePattern() {
        return "^" + Pattern.quote(benchmark.getName() + "." + method) + "$";
    }

    @Override
    public List<Measurement> run(String variant, RunSettings settings) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(includePattern())
                .param(VARIANT_PARAM, variant)
                .forks(settings.forks())
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.seconds(settings.warmupSeconds()))
                .measurementIterations(settings.measureIterations())
                .measurementTime(TimeValue.seconds(settings.measureSeconds()))
                .timeout(ITERATION_TIMEOUT)
                .jvm(RunSettings.javaLauncher().toString())
                .jvmArgs(settings.jvmArgs().toArray(String[]::new))
                .shouldFailOnError(true);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream sink = settings.verbose() ? System.out : new PrintStream(captured, true, StandardCharsets.UTF_8);
        OutputFormat format = OutputFormatFactory.createFormatInstance(sink, VerboseMode.NORMAL);
        try {
            Collection<RunResult> results = new Runner(options.build(), format).run();
            if (results.size() != 1) {
                return failed(variant, "JMH returned " + results.size() + " results for " + method, captured);
            }
            Result<?> primary = results.iterator().next().getPrimaryResult();
            if (!metric.unit().equals(primary.getScoreUnit())) {
                return failed(variant, "unit " + primary.getScoreUnit() + ", expected " + metric.unit(), captured);
            }
            return List.of(metric.of(variant, primary.getScore(), primary.getScoreError()));
        } catch (RunnerException | RuntimeException e) {
            return failed(variant, rootMessage(e), captured);
        }
    }

    private List<Measurement> failed(String variant, String why, ByteArrayOutputStream captured) {
        String log = captured.toString(StandardCharsets.UTF_8);
        if (!log.isBlank()) {
            System.out.println("---- JMH output of " + name + " " + variant + " (last 60 lines) ----");
            System.out.println(tail(log, 60));
            System.out.println("---- end of JMH output ----");
        }
        return List.of(metric.failed(variant, why));
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
