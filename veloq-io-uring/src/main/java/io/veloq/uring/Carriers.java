package io.veloq.uring;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which worker the calling code runs on, and that worker's driver.
 *
 * <p>A task is a virtual thread; the worker is its carrier. The JDK has no public way to name the
 * carrier, so this uses the package-private {@code Thread.currentCarrierThread()} (the project
 * already requires {@code --add-opens java.base/java.lang=ALL-UNNAMED}). It is exact: it tells a
 * task of this worker from a task of another worker, which is what SINGLE_ISSUER needs. When core's
 * {@code RuntimeContext} exposes the driver, {@link IoUringDriver#current()} may use that instead.
 *
 * <p>Threading: thread-safe. The registry is written when a driver opens and closes, read on
 * every {@code IoUringDriver.current()}.
 */
final class Carriers {

    private static final MethodHandle CURRENT_CARRIER = findCurrentCarrier();
    private static final ConcurrentHashMap<Thread, IoUringDriver> DRIVERS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Integer, IoUringDriver> BY_ID = new ConcurrentHashMap<>();

    private Carriers() {}

    private static MethodHandle findCurrentCarrier() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            return lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
        } catch (ReflectiveOperationException | IllegalAccessError | SecurityException e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "Veloq's io_uring driver needs --add-opens java.base/java.lang=ALL-UNNAMED to find a task's "
                            + "worker (Thread.currentCarrierThread)", e));
        }
    }

    /** The platform thread the caller runs on: itself for a platform thread, the carrier for a virtual one. */
    static Thread current() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("Thread.currentCarrierThread failed", t);
        }
    }

    static void register(Thread owner, int id, IoUringDriver driver) {
        IoUringDriver previous = DRIVERS.putIfAbsent(owner, driver);
        if (previous != null) {
            throw new IllegalStateException(owner + " already owns an open io_uring driver");
        }
        BY_ID.put(id, driver);
    }

    static void unregister(Thread owner, int id, IoUringDriver driver) {
        DRIVERS.remove(owner, driver);
        BY_ID.remove(id, driver);
    }

    /** The open driver with this id (the target of a MSG_RING wake-up), or null. */
    static IoUringDriver byId(int id) {
        return BY_ID.get(id);
    }

    /** The open driver owned by the caller's worker, or null. */
    static IoUringDriver driverOfCurrentWorker() {
        return DRIVERS.get(current());
    }
}
