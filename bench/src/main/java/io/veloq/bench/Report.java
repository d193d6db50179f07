package io.veloq.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders measurements as the table and the {@code COMPARE} lines that {@code bench/run} prints.
 *
 * <p>Contract of a COMPARE line, one per (scenario, baseline) pair:
 * {@code COMPARE <scenario> veloq=<v> <baseline>=<b> ratio=<r> unit=<u>}, where ratio above 1 means
 * Veloq is better ({@link Better#ratio}: veloq/baseline for throughputs, baseline/veloq for
 * latencies, times and bytes). A side without a score prints {@code FAILED} and the ratio {@code n/a}.
 * Numbers use '.' and no grouping in every locale, so the lines are easy to parse.
 */
public final class Report {

    /** The variant every other variant of a scenario is compared against. */
    public static final String VELOQ = "veloq";

    private Report() {
    }

    /** One COMPARE line per baseline of every scenario that has a {@code veloq} variant, in input order. */
    public static List<String> compareLines(List<Measurement> measurements) {
        List<String> lines = new ArrayList<>();
        for (List<Measurement> group : byScenario(measurements).values()) {
            Measurement veloq = find(group, VELOQ);
            if (veloq == null) {
                continue;
            }
            for (Measurement baseline : group) {
                if (!baseline.variant().equals(VELOQ)) {
                    lines.add(compareLine(veloq, baseline));
                }
            }
        }
        return lines;
    }

    /** {@code COMPARE <scenario> veloq=<v> <baseline>=<b> ratio=<r> unit=<u>}. */
    public static String compareLine(Measurement veloq, Measurement baseline) {
        if (!veloq.scenario().equals(baseline.scenario())) {
            throw new IllegalArgumentException("different scenarios: " + veloq.scenario() + " vs " + baseline.scenario());
        }
        if (!veloq.unit().equals(baseline.unit())) {
            throw new IllegalArgumentException(veloq.scenario() + ": units differ: " + veloq.unit() + " vs " + baseline.unit());
        }
        return "COMPARE " + veloq.scenario()
                + " " + VELOQ + "=" + scoreText(veloq)
                + " " + baseline.variant() + "=" + scoreText(baseline)
                + " ratio=" + ratioText(ratio(veloq, baseline))
                + " unit=" + veloq.unit();
    }

    /** Veloq's advantage over {@code baseline} (above 1: Veloq better); NaN when either failed. */
    public static double ratio(Measurement veloq, Measurement baseline) {
        if (!veloq.ok() || !baseline.ok()) {
            return Double.NaN;
        }
        return veloq.better().ratio(veloq.score(), baseline.score());
    }

    /** The side-by-side table, then one line per variant that has no score saying why. */
    public static String table(List<Measurement> measurements) {
        String format = "%-20s %-14s %14s %12s  %-11s %s%n";
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, format, "scenario", "variant", "score", "error", "unit",
                "veloq vs this"));
        for (List<Measurement> group : byScenario(measurements).values()) {
            Measurement veloq = find(group, VELOQ);
            boolean first = true;
            for (Measurement m : group) {
                String versus = "";
                if (veloq != null && m != veloq) {
                    double r = ratio(veloq, m);
                    versus = Double.isNaN(r) ? "n/a" : ratioText(r) + "x" + (r >= 1 ? "" : "  (veloq behind)");
                }
                String error = m.ok() && !Double.isNaN(m.error()) ? "± " + number(m.error()) : "";
                out.append(String.format(Locale.ROOT, format, first ? m.scenario() : "", m.variant(),
                        scoreText(m), error, m.unit(), versus));
                first = false;
            }
        }
        for (Measurement m : measurements) {
            if (!m.ok()) {
                out.append("FAILED ").append(m.scenario()).append(' ').append(m.variant()).append(": ")
                        .append(m.failure()).append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    static String scoreText(Measurement m) {
        return m.ok() ? number(m.score()) : "FAILED";
    }

    /** Four significant digits (whole numbers from 1000 on); plain notation, '.' as separator. */
    static String number(double value) {
        return significant(value, 4);
    }

    /** Three significant digits (1.08, 0.873, 12.3, 152). */
    static String ratioText(double ratio) {
        return significant(ratio, 3);
    }

    private static String significant(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        if (value == 0) {
            return "0";
        }
        int magnitude = (int) Math.floor(Math.log10(Math.abs(value)));
        int decimals = Math.max(0, digits - 1 - magnitude);
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static Map<String, List<Measurement>> byScenario(List<Measurement> measurements) {
        Map<String, List<Measurement>> groups = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            groups.computeIfAbsent(m.scenario(), k -> new ArrayList<>()).add(m);
        }
        return groups;
    }

    private static Measurement find(List<Measurement> group, String variant) {
        for (Measurement m : group) {
            if (m.variant().equals(variant)) {
                return m;
            }
        }
        return null;
    }
}
