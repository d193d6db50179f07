package io.veloq.io.uring;

import io.veloq.core.RuntimeContext;
import io.veloq.uring.IoUringDriver;

/** Finding the io_uring driver of the calling task without throwing. Stateless. */
final class Drivers {

    private Drivers() {}

    /** The driver of the calling task's worker, or null (not a task, or not an io_uring worker). */
    static IoUringDriver ofCurrentTask() {
        if (!Thread.currentThread().isVirtual() || !RuntimeContext.inRuntime()) {
            return null;
        }
        return RuntimeContext.current().driver() instanceof IoUringDriver d ? d : null;
    }
}
