package io.veloq.core.driver;

import static org.junit.jupiter.api.Assertions.*;

import io.veloq.core.LogCapture;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DriversTest {

    @Test
    void withoutAServiceTheDefaultIsThePortableDriver() throws Exception {
        assertInstanceOf(PortableDriver.class, Drivers.defaultFactory(2).create(0));
    }

    @Test
    void theFallbackReplacesAFailingOrNullFactoryWithThePortableDriver() throws Exception {
        try (LogCapture log = LogCapture.core()) {
            DriverFactory failing = Drivers.withFallback(i -> {
                throw new java.io.IOException("io_uring_setup: EPERM");
            });
            assertInstanceOf(PortableDriver.class, failing.create(0));
            assertInstanceOf(PortableDriver.class, failing.create(1)); // warns once, falls back every time
            assertInstanceOf(PortableDriver.class, Drivers.withFallback(i -> null).create(0));
            Driver mine = new PortableDriver(3);
            assertSame(mine, Drivers.withFallback(i -> mine).create(3));
            assertThrows(NullPointerException.class, () -> Drivers.withFallback(null));

            List<String> warnings = log.messages(Level.WARNING);
            assertEquals(2, warnings.size(), () -> "one warning per falling-back factory: " + warnings);
            assertTrue(warnings.get(0).contains("worker 0") && warnings.get(0).contains("io_uring_setup: EPERM"),
                    warnings.get(0));
            assertTrue(warnings.get(1).contains("returned null"), warnings.get(1));
            assertEquals(warnings.size(), log.records().size(), () -> "only those warnings: " + log.records());
        }
    }

    @Test
    void thePropertyForcesThePortableDriver() throws Exception {
        String old = System.getProperty("veloq.driver");
        System.setProperty("veloq.driver", "portable");
        try {
            assertInstanceOf(PortableDriver.class, Drivers.defaultFactory(2).create(0));
        } finally {
            if (old == null) {
                System.clearProperty("veloq.driver");
            } else {
                System.setProperty("veloq.driver", old);
            }
        }
    }
}
