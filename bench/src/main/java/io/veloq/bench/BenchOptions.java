package io.veloq.bench;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The runner's command line:
 * {@code <suite> [--quick] [--only s1,s2] [--variants v1,v2] [--verbose] [-Dkey=value ...]}.
 *
 * @param suite    suite name, e.g. {@code core}
 * @param quick    short run (one fork, short iterations)
 * @param only     scenario names to run; empty means all
 * @param variants variant names to run; empty means all
 * @param verbose    stream JMH's and the probes' own output
 * @param properties {@code -Dkey=value}: set in the runner and passed to every benchmark JVM
 *                   (e.g. {@code -Dveloq.bench.driver=portable}), in command-line order
 */
public record BenchOptions(String suite, boolean quick, Set<String> only, Set<String> variants, boolean verbose,
                           Map<String, String> properties) {

    public static final String USAGE = "usage: bench/run <suite> [--quick] [--only scenario,...] "
            + "[--variants variant,...] [--verbose] [-Dkey=value ...]";

    public BenchOptions {
        only = Set.copyOf(only);
        variants = Set.copyOf(variants);
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** Parses the arguments; IllegalArgumentException with a one-line reason on bad input. */
    public static BenchOptions parse(List<String> args) {
        String suite = null;
        boolean quick = false;
        boolean verbose = false;
        Set<String> only = new TreeSet<>();
        Set<String> variants = new TreeSet<>();
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> quick = true;
                case "--verbose" -> verbose = true;
                case "--only", "--variants" -> {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new IllegalArgumentException(arg + " needs a comma-separated list");
                    }
                    Set<String> target = arg.equals("--only") ? only : variants;
                    Arrays.stream(args.get(++i).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                            .forEach(target::add);
                }
                default -> {
                    if (arg.startsWith("-D")) {
                        int eq = arg.indexOf('=');
                        if (eq <= 2) {
                            throw new IllegalArgumentException("expected -Dkey=value, got " + arg);
                        }
                        properties.put(arg.substring(2, eq), arg.substring(eq + 1));
                        continue;
                    }
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    if (suite != null) {
                        throw new IllegalArgumentException("more than one suite given: " + suite + ", " + arg);
                    }
                    suite = arg;
                }
            }
        }
        if (suite == null) {
            throw new IllegalArgumentException("no suite given");
        }
        return new BenchOptions(suite, quick, only, variants, verbose, properties);
    }

    /** The properties as JVM arguments ({@code -Dkey=value}). */
    public List<String> propertyArgs() {
        return properties.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
    }

    public boolean wantsScenario(String name) {
        return only.isEmpty() || only.contains(name);
    }

    public boolean wantsVariant(String name) {
        return variants.isEmpty() || variants.contains(name);
    }
}
