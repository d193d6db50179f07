package io.veloq.uring;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.LibC;
import java.util.concurrent.locks.LockSupport;

/**
 * The close protocol of an {@link IoUringDriver}, run once by its owner:
 * <ol>
 *   <li>mark the driver closing: new operations fail with {@link DriverClosedException}, a late
 *       result that is a descriptor is closed on arrival;</li>
 *   <li>discard the results of every multishot operation not yet released — pending or already
 *       ended: queued descriptors nobody took are closed now, later ones on arrival (the task
 *       that would take them is either gone or about to get the exception);</li>
 *   <li>close the wake-up signal, waiting for wakers in flight, so the eventfd can be closed
 *       safely later;</li>
 *   <li>queue an ASYNC_CANCEL of everything (one entry with CANCEL_ANY|ALL; one per operation on
 *       kernels that answer it with -EINVAL);</li>
 *   <li>reap, waiting in slices, until every operation and internal entry has completed or the
 *       configured close timeout passed; each completion resumes its waiter with the exception
 *       (a multishot RECV's sink hears {@link ReceiveSink#DRIVER_CLOSED});</li>
 *   <li>give up on what remains: resume those waiters with the exception too, and leave the
 *       driver's small native memory to the kernel (it may still write there) — logged;</li>
 *   <li>close the buffer pool and the provided-buffer ring, unregister the driver, close the
 *       ring (the kernel tears down what is left) and the eventfd.</li>
 * </ol>
 * Threading: owner only.
 */
final class DriverShutdown {

    private static final System.Logger LOG = System.getLogger("io.veloq.uring");

    private final IoUringDriver driver;

    DriverShutdown(IoUringDriver driver) {
        this.driver = driver;
    }

    void run() {
        OpTable ops = driver.ops();
        driver.markClosing();
        ops.forEachInUse(slot -> {
            if (slot.multishot != null) {
                slot.multishot.discard();
            }
        });
        driver.wakeups().signal().close();
        long deadline = System.nanoTime() + driver.config().closeTimeout().toNanos();
        driver.queueCancelAll();
        boolean cancelledEach = false;
        while (busy() && System.nanoTime() - deadline < 0) {
            driver.waitDuringClose(deadline - System.nanoTime());
            driver.completions().reap();
            if (driver.completions().cancelAllUnsupported() && !cancelledEach) {
                driver.queueCancelEach();
                cancelledEach = true;
            }
        }
        int abandoned = ops.pending();
        if (abandoned > 0) {
            ops.forEachPending(slot -> {
                slot.completedByClose = true;
                ops.complete(slot, -Errno.ECANCELED, 0);
                if (slot.receiver != null) {
                    slot.receiver.onEnd(ReceiveSink.DRIVER_CLOSED);
                }
                LockSupport.unpark(slot.waiter);
            });
            LOG.log(System.Logger.Level.WARNING, "{0} operation(s) on worker {1} did not complete within {2} of "
                    + "closing; their tasks were resumed with an exception", abandoned, driver.workerIndex(),
                    driver.config().closeTimeout());
        }
        boolean kernelMayStillWrite = abandoned > 0 || driver.wakeups().readArmed();
        try {
            driver.bufferPool().close();
            if (driver.providedBuffers() != null) {
                driver.providedBuffers().close();
            }
            Carriers.unregister(driver.owner(), driver.id(), driver);
            driver.ring().close();
            LibC.close(driver.wakeups().eventFd());
        } finally {
            if (kernelMayStillWrite) {
                LOG.log(System.Logger.Level.WARNING, "worker {0}: leaving the driver''s native memory mapped, "
                        + "the kernel may still complete operations into it", driver.workerIndex());
            } else {
                driver.arena().close();
            }
            driver.markClosed();
        }
    }

    private boolean busy() {
        return driver.ops().pending() > 0 || driver.wakeups().readArmed()
                || driver.completions().parkTimeoutsInFlight() > 0;
    }
}
