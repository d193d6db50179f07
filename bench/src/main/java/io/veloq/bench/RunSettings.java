package io.veloq.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * How hard to measure: JMH forks and iterations, runs of a forked probe, and the JVM arguments of
 * every JVM the runner starts (the Veloq flags from the parent pom, baked into the jar as
 * {@code bench.properties}, plus a fixed heap so all variants see the same GC).
 *
 * @param quick              true for {@code --quick}
 * @param forks              JMH forks per (scenario, variant)
 * @param warmupIterations   JMH warm-up iterations per fork
 * @param warmupSeconds      seconds per warm-up iteration
 * @param measureIterations  JMH measured iterations per fork
 * @param measureSeconds     seconds per measured iteration
 * @param probeRuns          fresh JVMs per variant of a forked probe (e.g. parked_task_bytes)
 * @param jvmArgs            arguments of every benchmark JVM, Veloq flags first
 * @param verbose            stream JMH's own output instead of keeping it for failures only
 */
public record RunSettings(boolean quick, int forks, int warmupIterations, int warmupSeconds,
                          int measureIterations, int measureSeconds, int probeRuns, List<String> jvmArgs,
                          boolean verbose) {

    /** Heap of JMH forks: fixed, and large enough for a million live virtual threads (skynet). */
    static final List<String> HEAP_ARGS = List.of("-Xms4g", "-Xmx4g", "-XX:+UseG1GC");

    public RunSettings {
        jvmArgs = List.copyOf(jvmArgs);
        if (forks < 1 || warmupIterations < 0 || warmupSeconds < 1 || measureIterations < 1
                || measureSeconds < 1 || probeRuns < 1) {
            throw new IllegalArgumentException("bad run settings: " + forks + " forks, " + warmupIterations + "x"
                    + warmupSeconds + "s warm-up, " + measureIterations + "x" + measureSeconds + "s, "
                    + probeRuns + " probe runs");
        }
    }

    /** {@code --quick}: one fork, short iterations; the whole core suite in well under 5 minutes on 2 cores. */
    public static RunSettings quick(boolean verbose) {
        return new RunSettings(true, 1, 3, 1, 5, 1, 1, defaultJvmArgs(), verbose);
    }

    /** The full run: three forks, longer iterations, three probe JVMs per variant. */
    public static RunSettings full(boolean verbose) {
        return new RunSettings(false, 3, 5, 2, 5, 2, 3, defaultJvmArgs(), verbose);
    }

    /** These settings with {@code runs} probe runs per variant. */
    public RunSettings withProbeRuns(int runs) {
        return new RunSettings(quick, forks, warmupIterations, warmupSeconds, measureIterations, measureSeconds,
                runs, jvmArgs, verbose);
    }

    /** These settings with {@code extra} appended to the JVM arguments of every benchmark JVM. */
    public RunSettings withJvmArgs(List<String> extra) {
        List<String> args = new ArrayList<>(jvmArgs);
        args.addAll(extra);
        return new RunSettings(quick, forks, warmupIterations, warmupSeconds, measureIterations, measureSeconds,
                probeRuns, args, verbose);
    }

    /** The Veloq flags of the build, the fixed heap, then anything in {@code -Dveloq.bench.jvmArgs}. */
    static List<String> defaultJvmArgs() {
        List<String> args = new ArrayList<>(veloqFlags());
        args.addAll(HEAP_ARGS);
        args.addAll(split(System.getProperty("veloq.bench.jvmArgs", "")));
        return args;
    }

    /** {@code veloq.jvm.flags} of the parent pom as filtered into {@code bench.properties} at build time. */
    public static List<String> veloqFlags() {
        Properties properties = new Properties();
        try (InputStream in = RunSettings.class.getResourceAsStream("bench.properties")) {
            if (in == null) {
                throw new IllegalStateException("bench.properties missing from the classpath: rebuild bench");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String flags = properties.getProperty("veloq.jvm.flags", "");
        if (flags.isBlank() || flags.contains("${")) {
            throw new IllegalStateException("bench.properties was not filtered (veloq.jvm.flags = '" + flags + "')");
        }
        return split(flags);
    }

    /** The {@code java} launcher of the JVM running the runner, used for every fork. */
    public static Path javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static List<String> split(String words) {
        String trimmed = words.strip();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }
}
