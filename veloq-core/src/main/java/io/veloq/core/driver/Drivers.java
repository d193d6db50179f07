package io.veloq.core.driver;

import java.util.Iterator;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Choosing a driver when the builder was not given one.
 *
 * <ol>
 *   <li>System property {@code veloq.driver=portable}: the {@link PortableDriver}, nothing else is
 *       looked up (the way to fall back by configuration).</li>
 *   <li>Otherwise the first {@link DriverFactory} found with {@link ServiceLoader} (e.g. the
 *       io_uring driver when {@code veloq-io-uring} is on the class path), if its {@link
 *       DriverFactory#prepare prepare} accepts the runtime's worker count; if it does not (io_uring
 *       unavailable, every worker's registered buffers not fitting under RLIMIT_MEMLOCK, …) every
 *       worker gets a {@link PortableDriver}, with one warning saying why. Should it still fail to
 *       create a driver for one worker, that worker alone gets a {@link PortableDriver} and one
 *       warning is logged per runtime.</li>
 *   <li>None found: the {@link PortableDriver}.</li>
 * </ol>
 * A factory given explicitly to the builder is used as is: its {@code prepare} failing fails {@code
 * build()}, and its failure on a worker fails the runtime's start.
 */
public final class Drivers {

    private static final System.Logger LOG = System.getLogger("io.veloq.core");

    private Drivers() {
    }

    /**
     * A fresh default factory for a runtime of {@code workerCount} workers (its one-warning latch
     * is per returned factory, i.e. per runtime).
     */
    public static DriverFactory defaultFactory(int workerCount) {
        if ("portable".equalsIgnoreCase(System.getProperty("veloq.driver", ""))) {
            return PortableDriver.factory();
        }
        DriverFactory found;
        try {
            Iterator<DriverFactory> it = ServiceLoader.load(DriverFactory.class).iterator();
            found = it.hasNext() ? it.next() : null;
        } catch (ServiceConfigurationError e) {
            LOG.log(System.Logger.Level.WARNING, "Veloq: cannot load a DriverFactory service, using the portable driver: " + e);
            found = null;
        }
        if (found == null) {
            return PortableDriver.factory();
        }
        try {
            found.prepare(workerCount);
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "Veloq: driver factory " + found.getClass().getName()
                    + " cannot serve " + workerCount + " workers (" + e.getMessage() + "); using the portable driver");
            return PortableDriver.factory();
        }
        return withFallback(found);
    }

    /**
     * Wraps {@code preferred} so that a worker whose driver it fails to create (exception or null)
     * gets a {@link PortableDriver} instead; one warning per returned factory.
     */
    public static DriverFactory withFallback(DriverFactory preferred) {
        return new FallingBack(Objects.requireNonNull(preferred, "preferred"));
    }

    /** Tries the service's factory, falls back to the portable driver per worker. */
    private record FallingBack(DriverFactory preferred, AtomicBoolean warned) implements DriverFactory {
        FallingBack(DriverFactory preferred) {
            this(preferred, new AtomicBoolean());
        }

        @Override
        public Driver create(int workerIndex) {
            try {
                Driver driver = preferred.create(workerIndex);
                if (driver != null) {
                    return driver;
                }
                fallBack(workerIndex, "it returned null");
            } catch (Exception | LinkageError e) {
                fallBack(workerIndex, e.toString());
            }
            return new PortableDriver(workerIndex);
        }

        private void fallBack(int workerIndex, String why) {
            if (warned.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "Veloq: driver factory " + preferred.getClass().getName()
                        + " failed on worker " + workerIndex + " (" + why + "); using the portable driver");
            }
        }
    }
}
