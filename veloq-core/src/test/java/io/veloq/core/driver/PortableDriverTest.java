package io.veloq.core.driver;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PortableDriverTest {

    @Test
    void aWakeBeforeParkMakesItReturnAtOnce() {
        PortableDriver driver = new PortableDriver(0);
        driver.wake();
        driver.wake(); // idempotent
        driver.park(Long.MAX_VALUE); // returns: the wake is not lost
        assertEquals(0, driver.poll());
        assertTrue(driver.description().contains("portable"));
        driver.close();
        assertTrue(driver.description().contains("closed"));
    }

    @Test
    void parkReturnsAtItsDeadline() {
        PortableDriver driver = new PortableDriver(0);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        // Spurious returns are allowed by the Driver contract (a stray unpark permit left on this
        // test thread is one), so the caller loops; what must hold is that park blocks rather than
        // spins, and that it returns once the deadline has passed (@Timeout catches a hang).
        int returns = 0;
        while (System.nanoTime() < deadline) {
            driver.park(deadline);
            returns++;
        }
        assertTrue(returns < 100, "park returned " + returns + " times before a 20 ms deadline: it spins");
        driver.park(System.nanoTime() - 1); // a past deadline returns at once
    }

    @Test
    void wakesFromOtherThreadsAreNeverLost() throws Exception {
        int rounds = 20_000;
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger parks = new AtomicInteger();
        AtomicInteger posted = new AtomicInteger();
        // the driver is made on its owner thread (the thread park parks); the latch publishes it here
        PortableDriver[] holder = new PortableDriver[1];
        CountDownLatch ready = new CountDownLatch(1);
        Thread owner = Thread.ofPlatform().start(() -> {
            PortableDriver driver = new PortableDriver(0);
            holder[0] = driver;
            ready.countDown();
            int seen = 0;
            while (seen < rounds) {
                if (posted.get() > seen) {
                    seen++;
                    continue;
                }
                driver.park(Long.MAX_VALUE); // only a wake (or a spurious return) ends this
                parks.incrementAndGet();
            }
            done.countDown();
        });
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < rounds; i++) {
            posted.incrementAndGet();
            holder[0].wake();
        }
        assertTrue(done.await(20, TimeUnit.SECONDS), "a wake was lost");
        owner.join();
        assertTrue(parks.get() <= rounds + 1);
    }

    @Test
    void factoryMakesOneDriverPerCall() throws Exception {
        DriverFactory factory = PortableDriver.factory();
        assertNotSame(factory.create(0), factory.create(1));
    }
}
