/**
 * The benchmark runner behind {@code bench/run <suite>}: Veloq and its baselines side by side in one run.
 *
 * <p>A run, in order:
 * <ol>
 *   <li>{@link io.veloq.bench.BenchMain} parses the command line ({@link io.veloq.bench.BenchOptions}) and
 *       picks the {@link io.veloq.bench.Suite} and the {@link io.veloq.bench.RunSettings} (quick or full;
 *       the JVM arguments are the parent pom's {@code veloq.jvm.flags}, filtered into
 *       {@code bench.properties} at build time, plus a fixed heap).</li>
 *   <li>For every selected scenario and variant, {@link io.veloq.bench.Scenario#run} measures that variant
 *       in JVM(s) of its own: a JMH fork ({@link io.veloq.bench.JmhScenario}) or a probe process
 *       ({@link io.veloq.bench.ForkedProbeScenario}). A failing variant yields failed measurements, never
 *       an exception, so one broken side cannot hide the others.</li>
 *   <li>{@link io.veloq.bench.Report} renders the table and one {@code COMPARE} line per (metric,
 *       baseline), ratio above 1 meaning Veloq is better ({@link io.veloq.bench.Better}); the runner prints
 *       them and writes them to {@code bench/results/<suite>-<timestamp>.txt}.</li>
 * </ol>
 * The runner's own JVM never runs a benchmark, so its JIT state and heap influence none of the figures.
 */
package io.veloq.bench;
