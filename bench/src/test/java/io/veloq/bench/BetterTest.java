package io.veloq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BetterTest {

    @Test
    void aboveOneAlwaysMeansVeloqWins() {
        assertTrue(Better.HIGHER.ratio(3, 2) > 1, "more ops/s for veloq");
        assertTrue(Better.LOWER.ratio(2, 3) > 1, "fewer ns for veloq");
        assertTrue(Better.HIGHER.ratio(2, 3) < 1);
        assertTrue(Better.LOWER.ratio(3, 2) < 1);
        assertEquals(1.5, Better.LOWER.ratio(2, 3), 1e-12);
    }

    @Test
    void missingOrZeroDivisorGivesNaN() {
        assertTrue(Double.isNaN(Better.HIGHER.ratio(1, 0)));
        assertTrue(Double.isNaN(Better.LOWER.ratio(0, 1)));
        assertTrue(Double.isNaN(Better.HIGHER.ratio(Double.NaN, 1)));
        assertTrue(Double.isNaN(Better.LOWER.ratio(1, Double.NaN)));
    }
}
