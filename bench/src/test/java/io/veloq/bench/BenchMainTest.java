package io.veloq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's flow with an in-memory scenario standing in for JMH: selection, exit status, results file. */
class BenchMainTest {

    /** Scores each variant with a fixed figure, or fails the ones named in {@code failing}; records what ran. */
    static final class FixedScenario implements Scenario {
        private final Metric metric = new Metric("fixed", "ns/op", Better.LOWER);
        private final List<String> failing;
        final List<String> ran = new ArrayList<>();

        FixedScenario(List<String> failing) {
            this.failing = failing;
        }

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public List<String> variants() {
            return List.of("veloq", "lbq", "floor");
        }

        @Override
        public List<Metric> metrics() {
            return List.of(metric);
        }

        @Override
        public List<Measurement> run(String variant, RunSettings settings) {
            ran.add(variant);
            if (failing.contains(variant)) {
                return List.of(metric.failed(variant, "broken on purpose"));
            }
            double score = switch (variant) {
                case "veloq" -> 200;
                case "lbq" -> 1000;
                default -> 100;
            };
            return List.of(metric.of(variant, score, 1));
        }
    }

    @Test
    void printsAndWritesCompareLinesAndExitsZeroWhenAllRan(@TempDir Path dir) throws Exception {
        FixedScenario scenario = new FixedScenario(List.of());
        Suite suite = new Suite("fake", "in-memory", List.of(scenario), () -> "env line");
        int status = BenchMain.run(suite, BenchOptions.parse(List.of("fake", "--quick")), dir);
        assertEquals(0, status);
        assertEquals(List.of("veloq", "lbq", "floor"), scenario.ran);
        String written = onlyFile(dir);
        assertTrue(written.contains("COMPARE fixed veloq=200.0 lbq=1000 ratio=5.00 unit=ns/op"), written);
        assertTrue(written.contains("COMPARE fixed veloq=200.0 floor=100.0 ratio=0.500 unit=ns/op"), written);
        assertTrue(written.contains("quick mode") && written.contains("env line"), written);
    }

    /** Scores each run of a variant from a list, in turn; interleaves its runs with the other variants'. */
    static final class DriftingScenario implements Scenario {
        private final Metric metric = new Metric("drifting", "msgs/s", Better.HIGHER);
        final List<String> ran = new ArrayList<>();
        final List<Integer> probeRunsSeen = new ArrayList<>();
        private int calls;

        @Override
        public String name() {
            return "drifting";
        }

        @Override
        public List<String> variants() {
            return List.of("veloq", "netty");
        }

        @Override
        public List<Metric> metrics() {
            return List.of(metric);
        }

        @Override
        public boolean interleavesRuns() {
            return true;
        }

        @Override
        public List<Measurement> run(String variant, RunSettings settings) {
            ran.add(variant);
            probeRunsSeen.add(settings.probeRuns());
            int call = calls++;
            if (variant.equals("netty") && call == 3) {
                return List.of(metric.failed(variant, "lost its server"));
            }
            // veloq's runs: 100, 300, 200 (calls 0, 2, 4)
            return List.of(metric.of(variant, variant.equals("veloq") ? new double[] {100, 300, 200}[call / 2] : 50, 0));
        }
    }

    @Test
    void interleavingScenariosTakeEachRunOfEveryVariantInTurnAndCombineThem(@TempDir Path dir) throws Exception {
        DriftingScenario scenario = new DriftingScenario();
        Suite suite = new Suite("fake", "in-memory", List.of(scenario), () -> "");
        assertEquals(1, BenchMain.run(suite, BenchOptions.parse(List.of("fake")), dir)); // full mode: 3 runs
        assertEquals(List.of("veloq", "netty", "veloq", "netty", "veloq", "netty"), scenario.ran);
        assertEquals(List.of(1, 1, 1, 1, 1, 1), scenario.probeRunsSeen);
        List<Measurement> veloq = BenchMain.combine(scenario, "veloq", List.of(
                List.of(Measurement.of("drifting", "veloq", 100, 0, "msgs/s", Better.HIGHER)),
                List.of(Measurement.of("drifting", "veloq", 300, 0, "msgs/s", Better.HIGHER)),
                List.of(Measurement.of("drifting", "veloq", 200, 0, "msgs/s", Better.HIGHER))));
        assertEquals(200, veloq.getFirst().score(), 1e-9);
        assertEquals(100, veloq.getFirst().error(), 1e-9);
        String written = onlyFile(dir);
        assertTrue(written.contains("COMPARE drifting veloq=200.0 netty=FAILED ratio=n/a unit=msgs/s"), written);
        assertTrue(written.contains("FAILED drifting netty: lost its server"), written);
    }

    @Test
    void aFailedVariantIsReportedAndMakesTheExitStatusOne(@TempDir Path dir) throws Exception {
        FixedScenario scenario = new FixedScenario(List.of("veloq"));
        Suite suite = new Suite("fake", "in-memory", List.of(scenario), () -> "");
        assertEquals(1, BenchMain.run(suite, BenchOptions.parse(List.of("fake")), dir));
        String written = onlyFile(dir);
        assertTrue(written.contains("COMPARE fixed veloq=FAILED lbq=1000 ratio=n/a unit=ns/op"), written);
        assertTrue(written.contains("FAILED fixed veloq: broken on purpose"), written);
    }

    @Test
    void variantFilterRunsOnlyThoseAndAnEmptySelectionIsAUsageError(@TempDir Path dir) {
        FixedScenario scenario = new FixedScenario(List.of());
        Suite suite = new Suite("fake", "in-memory", List.of(scenario), () -> "");
        assertEquals(0, BenchMain.run(suite, BenchOptions.parse(List.of("fake", "--variants", "veloq,lbq")), dir));
        assertEquals(List.of("veloq", "lbq"), scenario.ran);
        assertEquals(2, BenchMain.run(suite, BenchOptions.parse(List.of("fake", "--only", "nothing")), dir));
    }

    private static String onlyFile(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            assertTrue(all.getFirst().getFileName().toString().matches("fake-\\d{8}-\\d{6}\\.txt"), all.toString());
            return Files.readString(all.getFirst());
        }
    }
}
