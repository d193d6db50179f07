package io.veloq.io;

import io.veloq.core.RuntimeContext;
import io.veloq.core.driver.Driver;
import io.veloq.io.portable.PortableBackend;
import io.veloq.io.uring.UringBackend;
import io.veloq.uring.IoUring;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which {@link IoBackend} serves the calling task, and the "must be a task" rule of the API.
 *
 * <p>Selection, per call, for the worker the task runs on (steps in the package documentation):
 * the system property {@value #PROPERTY} ({@code auto}, the default; {@code portable};
 * {@code io_uring}) first, then the worker's {@link Driver}: a worker whose driver is Veloq's
 * io_uring driver gets the io_uring backend, any other worker the portable backend. The driver
 * itself is chosen when the runtime starts (io_uring when available, else the portable driver; the
 * runtime builder's {@code driverFactory} or {@code -Dveloq.driver=portable} turn it off). Each
 * distinct choice is logged once per process, at INFO, with the reason.
 *
 * <p>Threading: stateless apart from the log-once set; every method may be called from any thread.
 */
public final class IoBackends {

    /** System property: {@code auto} (default), {@code portable} or {@code io_uring}. */
    public static final String PROPERTY = "veloq.io.backend";

    private static final System.Logger LOG = System.getLogger("io.veloq.io");
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private IoBackends() {}

    /**
     * The backend serving the calling task.
     *
     * @throws IllegalStateException if the caller is not a Veloq task (see {@link #requireTask}), or
     *     {@code -Dveloq.io.backend=io_uring} is set and this worker has no io_uring driver
     */
    public static IoBackend current() {
        requireTask("I/O");
        Driver driver = RuntimeContext.current().driver();
        String wanted = wanted();
        if (wanted.equals("portable")) {
            logOnce("Veloq I/O: portable backend (JDK channels), because -D" + PROPERTY + "=portable");
            return PortableBackend.instance();
        }
        if (UringBackend.serves(driver)) {
            logOnce("Veloq I/O: io_uring backend (the workers run Veloq's io_uring driver)");
            return UringBackend.instance();
        }
        String why = whyNotUring(driver);
        if (wanted.equals("io_uring")) {
            throw new IllegalStateException("-D" + PROPERTY + "=io_uring, but " + why);
        }
        logOnce("Veloq I/O: portable backend (JDK channels), because " + why);
        return PortableBackend.instance();
    }

    /** One line saying which backend the calling task gets and why (for diagnostics). */
    public static String describeCurrent() {
        IoBackend backend = current();
        return backend.name() + (backend == PortableBackend.instance() && !wanted().equals("portable")
                ? " (" + whyNotUring(RuntimeContext.current().driver()) + ")" : "");
    }

    /**
     * Checks that the caller is a task of a Veloq runtime: a virtual thread whose carrier is a
     * worker. Blocking operations park the task; on any other thread they would block a thread
     * Veloq does not schedule (or, on a worker's own platform thread, the whole worker).
     *
     * @param operation named in the message
     * @throws IllegalStateException otherwise
     */
    public static void requireTask(String operation) {
        Thread thread = Thread.currentThread();
        if (!thread.isVirtual() || !RuntimeContext.inRuntime()) {
            throw new IllegalStateException(operation + " blocks the calling task, so it must be called from a task of a "
                    + "Veloq runtime (Runtime.spawn, blockOn, ...); it was called from " + thread
                    + (thread.isVirtual() ? " (a virtual thread that is not a Veloq task)"
                    : RuntimeContext.inRuntime() ? " (a worker's own thread: that would block the worker)"
                    : " (not a Veloq thread)"));
        }
    }

    private static String wanted() {
        String value = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "auto", "", "portable", "io_uring" -> value.isEmpty() ? "auto" : value;
            case "iouring", "uring" -> "io_uring";
            default -> throw new IllegalStateException("-D" + PROPERTY + "=" + value
                    + " is not one of auto, portable, io_uring");
        };
    }

    private static String whyNotUring(Driver driver) {
        if (!IoUring.isAvailable()) {
            return "io_uring is unavailable: " + IoUring.unavailabilityReason().orElse("unknown reason");
        }
        // The class, not the description: that names the worker, and the line is logged once per process.
        return "the workers' driver is " + driver.getClass().getName() + ", not Veloq's io_uring driver (chosen by "
                + "the runtime builder's driverFactory, -Dveloq.driver=portable, or a failed start)";
    }

    private static void logOnce(String line) {
        if (LOGGED.add(line)) {
            LOG.log(System.Logger.Level.INFO, line);
        }
    }
}
