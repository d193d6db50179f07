package io.veloq.bench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void smallValuesAreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertEquals(100, h.count());
        assertEquals(50, h.percentile(50));
        assertEquals(99, h.percentile(99));
        assertEquals(100, h.percentile(100));
        assertEquals(1, h.percentile(0.5));
        assertEquals(50.5, h.mean(), 1e-9);
        assertEquals(100, h.max());
    }

    @Test
    void bucketsAreContiguousAndEachValueFallsInsideItsOwn() {
        int last = LatencyHistogram.indexOf(LatencyHistogram.MAX_VALUE);
        for (int i = 0; i < last; i++) {
            long top = LatencyHistogram.highestInBucket(i);
            assertEquals(i, LatencyHistogram.indexOf(top), "top of bucket " + i);
            assertEquals(i + 1, LatencyHistogram.indexOf(top + 1), "value after bucket " + i);
        }
        assertEquals(LatencyHistogram.MAX_VALUE, LatencyHistogram.highestInBucket(last));
    }

    @Test
    void largeValuesAreKnownToWithinTheBucketPrecision() {
        for (long v = LatencyHistogram.SUB_BUCKETS; v < 50_000_000_000L; v = v * 3 + 7) {
            long top = LatencyHistogram.highestInBucket(LatencyHistogram.indexOf(v));
            assertTrue(top >= v, v + " reported as " + top);
            assertTrue(top - v <= v / LatencyHistogram.HALF, v + " reported as " + top);
        }
    }

    @Test
    void percentilesOfAUniformSpreadNeverUnderstate() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 1_000_000; v++) {
            h.record(v * 1000); // 1 µs .. 1 s in ns
        }
        for (double p : new double[] {50, 90, 99, 99.9}) {
            long exact = (long) Math.ceil(p / 100 * 1_000_000) * 1000;
            long reported = h.percentile(p);
            assertTrue(reported >= exact && reported - exact <= exact / LatencyHistogram.HALF,
                    "p" + p + ": exact " + exact + ", reported " + reported);
        }
        assertEquals(1_000_000_000L, h.percentile(100));
    }

    @Test
    void addMergesCountsSumsAndMaxima() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < 99; i++) {
            a.record(10);
        }
        b.record(5_000);
        a.add(b);
        assertEquals(100, a.count());
        assertEquals(10, a.percentile(99));
        assertEquals(5_000, a.max());
        assertTrue(a.percentile(100) >= 5_000 && a.percentile(100) <= 5_000 + 5_000 / LatencyHistogram.HALF);
        assertEquals((99 * 10 + 5_000) / 100.0, a.mean(), 1e-9);
    }

    @Test
    void hugeValuesAreCappedAndBadInputRefused() {
        LatencyHistogram h = new LatencyHistogram();
        assertThrows(IllegalStateException.class, () -> h.percentile(50));
        assertTrue(Double.isNaN(h.mean()));
        h.record(Long.MAX_VALUE);
        assertEquals(LatencyHistogram.MAX_VALUE, h.max());
        assertEquals(LatencyHistogram.MAX_VALUE, h.percentile(99));
        assertThrows(IllegalArgumentException.class, () -> h.record(-1));
        assertThrows(IllegalArgumentException.class, () -> h.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> h.percentile(100.5));
    }
}
