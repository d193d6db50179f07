package io.veloq.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.driver.Driver;
import io.veloq.core.driver.DriverFactory;
import io.veloq.core.driver.PortableDriver;
import io.veloq.join.JoinHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A driver that throws from poll and park does not stop its worker (invariant 6: no crash of a worker). */
@Timeout(60)
class DriverFailureTest {

    /** A portable driver whose poll and park always throw, after doing their work. */
    private static final class BrokenDriver implements Driver {
        private final PortableDriver inner;

        BrokenDriver(int worker) {
            inner = new PortableDriver(worker);
        }

        @Override
        public int poll() {
            inner.poll();
            throw new IllegalStateException("io_uring_enter failed: ENOMEM (simulated)");
        }

        @Override
        public void park(long deadlineNanos) {
            inner.park(deadlineNanos);
            throw new IllegalStateException("park failed (simulated)");
        }

        @Override
        public void wake() {
            inner.wake();
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public String description() {
            return "broken " + inner.description();
        }
    }

    @Test
    void aWorkerWhoseDriverKeepsFailingStillRunsTasksSleepsWakesAndShutsDown() throws Exception {
        UncaughtReports reports = new UncaughtReports();
        DriverFactory broken = BrokenDriver::new;
        try (LogCapture log = LogCapture.core()) {
            Runtime runtime = Runtime.builder().workers(2).pinning(false).threadNamePrefix("broken-driver-")
                    .driverFactory(broken).uncaughtExceptionHandler(reports).build();
            for (int round = 0; round < 20; round++) {
                List<JoinHandle<Integer>> handles = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    int value = i;
                    handles.add(runtime.spawnOn(i % 2, () -> {
                        Thread.sleep(0, 1000); // a timed park: woken through the failing driver's worker
                        return value;
                    }));
                }
                for (int i = 0; i < handles.size(); i++) {
                    assertEquals(i, handles.get(i).get(10, TimeUnit.SECONDS));
                }
            }
            TestSupport.closeAndAssertNoThreads(runtime, "broken-driver-");

            reports.await("the first driver failure", r -> r.failure().getMessage().contains("simulated"));
            reports.acceptAll(r -> r.failure().getMessage().contains("simulated"));
            reports.assertNoneUnexpected();
            long reported = reports.all().size();
            assertTrue(reported < 40, "failures are rate-limited, not reported every round: " + reported);
            assertTrue(log.messages(Level.SEVERE).stream().anyMatch(m -> m.contains("carries on")),
                    () -> "the log says the worker carries on: " + log.records());
        }
    }
}
