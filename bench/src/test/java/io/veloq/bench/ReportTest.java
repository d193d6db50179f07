package io.veloq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void throughputRatioIsVeloqOverBaseline() {
        Measurement veloq = Measurement.of("spawn_join_local", "veloq", 2_000_000, 10, "ops/s", Better.HIGHER);
        Measurement fjp1 = Measurement.of("spawn_join_local", "fjp1", 1_000_000, 10, "ops/s", Better.HIGHER);
        assertEquals(2.0, Report.ratio(veloq, fjp1), 1e-12);
        assertEquals("COMPARE spawn_join_local veloq=2000000 fjp1=1000000 ratio=2.00 unit=ops/s",
                Report.compareLine(veloq, fjp1));
    }

    @Test
    void latencyRatioIsBaselineOverVeloq() {
        Measurement veloq = Measurement.of("mesh_pingpong", "veloq", 250, 3, "ns/op", Better.LOWER);
        Measurement lbq = Measurement.of("mesh_pingpong", "lbq", 10_000, 50, "ns/op", Better.LOWER);
        Measurement floor = Measurement.of("mesh_pingpong", "spsc_floor", 125, 1, "ns/op", Better.LOWER);
        assertEquals("COMPARE mesh_pingpong veloq=250.0 lbq=10000 ratio=40.0 unit=ns/op", Report.compareLine(veloq, lbq));
        assertEquals("COMPARE mesh_pingpong veloq=250.0 spsc_floor=125.0 ratio=0.500 unit=ns/op",
                Report.compareLine(veloq, floor));
    }

    @Test
    void bytesAreLowerIsBetter() {
        Measurement veloq = Measurement.of("parked_task_bytes", "veloq", 600.25, Double.NaN, "bytes/task", Better.LOWER);
        Measurement vt = Measurement.of("parked_task_bytes", "vt_default", 1200.4, Double.NaN, "bytes/task", Better.LOWER);
        assertEquals("COMPARE parked_task_bytes veloq=600.3 vt_default=1200 ratio=2.00 unit=bytes/task",
                Report.compareLine(veloq, vt));
    }

    @Test
    void oneCompareLinePerBaselineInInputOrderAndOnlyWithVeloq() {
        List<Measurement> all = List.of(
                Measurement.of("skynet", "veloq", 100, 1, "ms/op", Better.LOWER),
                Measurement.of("skynet", "vt_default", 300, 1, "ms/op", Better.LOWER),
                Measurement.of("skynet", "fjp", 80, 1, "ms/op", Better.LOWER),
                Measurement.of("orphan", "fjp", 1, 1, "ms/op", Better.LOWER));
        assertEquals(List.of(
                "COMPARE skynet veloq=100.0 vt_default=300.0 ratio=3.00 unit=ms/op",
                "COMPARE skynet veloq=100.0 fjp=80.00 ratio=0.800 unit=ms/op"), Report.compareLines(all));
    }

    @Test
    void failedSideHasNoRatio() {
        Measurement veloq = Measurement.failed("skynet", "veloq", "ms/op", Better.LOWER, "TimeoutException");
        Measurement fjp = Measurement.of("skynet", "fjp", 80.5, 1, "ms/op", Better.LOWER);
        assertEquals("COMPARE skynet veloq=FAILED fjp=80.50 ratio=n/a unit=ms/op", Report.compareLine(veloq, fjp));
        String table = Report.table(List.of(veloq, fjp));
        assertTrue(table.contains("FAILED skynet veloq: TimeoutException"), table);
    }

    @Test
    void mismatchedPairsAreRejected() {
        Measurement a = Measurement.of("skynet", "veloq", 1, 0, "ms/op", Better.LOWER);
        Measurement b = Measurement.of("skynet", "fjp", 1, 0, "us/op", Better.LOWER);
        Measurement c = Measurement.of("other", "fjp", 1, 0, "ms/op", Better.LOWER);
        assertThrows(IllegalArgumentException.class, () -> Report.compareLine(a, b));
        assertThrows(IllegalArgumentException.class, () -> Report.compareLine(a, c));
    }

    @Test
    void numbersArePlainWithFourSignificantDigits() {
        assertEquals("8123457", Report.number(8_123_456.7));
        assertEquals("123.5", Report.number(123.46));
        assertEquals("0.001235", Report.number(0.0012346));
        assertEquals("80.50", Report.number(80.5));
        assertEquals("0", Report.number(0));
        assertEquals("n/a", Report.number(Double.NaN));
        assertEquals("0.0421", Report.ratioText(0.04211));
        assertEquals("152", Report.ratioText(152.4));
        assertEquals("1.00", Report.ratioText(1.0));
    }

    @Test
    void tableShowsEachVariantWithItsRatioAgainstVeloq() {
        String table = Report.table(List.of(
                Measurement.of("skynet", "veloq", 100, 2, "ms/op", Better.LOWER),
                Measurement.of("skynet", "vt_default", 250, 5, "ms/op", Better.LOWER),
                Measurement.of("skynet", "fjp", 50, 1, "ms/op", Better.LOWER)));
        List<String> lines = table.lines().toList();
        assertEquals(4, lines.size(), table);
        assertTrue(lines.get(1).startsWith("skynet") && lines.get(1).contains("veloq"), table);
        assertTrue(lines.get(2).contains("vt_default") && lines.get(2).contains("2.50x"), table);
        assertTrue(lines.get(3).contains("fjp") && lines.get(3).contains("0.500x  (veloq behind)"), table);
    }
}
