package io.veloq.uring;

import java.lang.foreign.MemorySegment;

/**
 * Where a multishot RECV armed with {@link IoUringDriver#armReceive} delivers: the bytes of each
 * arrival, then one end. Called by the worker as it reaps (the driver's owner OS thread, on the
 * worker thread or inside one of its tasks' reaps), never concurrently, and must not block or
 * submit operations: copy the bytes, record the state, unpark readers.
 */
public interface ReceiveSink {

    /** {@link #onEnd} reason: the operation ended with nothing wrong (buffers ran out, stopped on request, CQ overflow); arm again to go on. */
    int ENDED = 1;
    /** {@link #onEnd} reason: the driver closed; no more receives on this worker. */
    int DRIVER_CLOSED = 2;

    /**
     * The bytes of one arrival, in a provided buffer that goes back to the kernel when this returns:
     * copy them.
     *
     * @return true to go on receiving; false to stop (the driver cancels the operation; arrivals
     *     already on their way are still delivered, then {@link #onEnd} with {@link #ENDED})
     */
    boolean onData(MemorySegment data);

    /**
     * The operation ended; called once, after its last {@link #onData}.
     *
     * @param reason 0 (end of stream), a negative errno (-ECANCELED when someone else cancelled
     *     it, e.g. a close), {@link #ENDED} or {@link #DRIVER_CLOSED}
     */
    void onEnd(int reason);
}
