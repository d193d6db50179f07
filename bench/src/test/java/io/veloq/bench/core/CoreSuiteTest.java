package io.veloq.bench.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.bench.Better;
import io.veloq.bench.JmhScenario;
import io.veloq.bench.Metric;
import io.veloq.bench.Report;
import io.veloq.bench.Scenario;
import io.veloq.bench.Suite;
import io.veloq.bench.Suites;
import java.io.PrintStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.junit.jupiter.api.Test;

/** The suite's declarations agree with the JMH benchmarks the annotation processor generated. */
class CoreSuiteTest {

    private final Suite suite = Suites.byName("core").orElseThrow();

    @Test
    void coversTheIssueScenariosWithVeloqFirst() {
        assertEquals(List.of("spawn_join_local", "external_submit", "mesh_pingpong", "skynet", "parked_task_bytes"),
                suite.scenarios().stream().map(Scenario::name).toList());
        for (Scenario s : suite.scenarios()) {
            assertEquals(Report.VELOQ, s.variants().getFirst(), s.name());
            assertEquals(s.variants().size(), new HashSet<>(s.variants()).size(), s.name() + " has duplicate variants");
            assertTrue(s.variants().size() >= 2, s.name() + " needs a baseline");
        }
    }

    @Test
    void everyJmhScenarioMatchesExactlyOneGeneratedBenchmarkWithTheSameVariantsAndUnit() {
        BenchmarkList list = BenchmarkList.defaultList();
        var quiet = OutputFormatFactory.createFormatInstance(new PrintStream(OutputStream.nullOutputStream()),
                VerboseMode.SILENT);
        int checked = 0;
        for (Scenario s : suite.scenarios()) {
            if (!(s instanceof JmhScenario jmh)) {
                continue;
            }
            SortedSet<BenchmarkListEntry> found = list.find(quiet, List.of(jmh.includePattern()), List.of());
            assertEquals(1, found.size(), s.name() + " matches " + found);
            BenchmarkListEntry entry = found.first();
            Map<String, String[]> params = entry.getParams().get();
            assertEquals(s.variants(), Arrays.asList(params.get(JmhScenario.VARIANT_PARAM)),
                    s.name() + ": CoreSuite variants and @Param differ");
            String unit = TimeValue.tuToString(entry.getTimeUnit().get());
            Metric metric = s.metrics().getFirst();
            assertEquals(List.of(metric), s.metrics(), s.name() + ": a JMH scenario has one metric");
            assertEquals(s.name(), metric.name());
            if (entry.getMode() == Mode.Throughput) {
                assertEquals("ops/" + unit, metric.unit(), s.name());
                assertEquals(Better.HIGHER, metric.better(), s.name());
            } else {
                assertEquals(Mode.AverageTime, entry.getMode(), s.name());
                assertEquals(unit + "/op", metric.unit(), s.name());
                assertEquals(Better.LOWER, metric.better(), s.name());
            }
            checked++;
        }
        assertEquals(4, checked);
    }
}
