package io.veloq.uring;

import io.veloq.uring.ffi.LibC;

/**
 * The completions of one multishot operation (each CQE but the last carries IORING_CQE_F_MORE),
 * queued by the worker as it reaps them until the task takes them with
 * {@link MultishotOperation#next()}.
 *
 * <p>When the results are descriptors ({@link ResultKind#FD}), each one queued is owned by the
 * queue until a task takes it. {@link #discard()} ends that ownership for good: it closes what is
 * queued, and every descriptor that arrives afterwards is closed on arrival. Taking and discarding
 * exclude each other, so a descriptor is either handed to exactly one task or closed exactly once.
 *
 * <p>Threading: the worker (producer, in its reap) and the task (consumer) run on the same OS
 * thread but are different Java threads; {@link #discard()} may also come from any other thread
 * (a listener closed while the runtime refuses new tasks). The methods are synchronized, which
 * orders them; it is contended only by that rare foreign discard.
 */
final class MultishotQueue {

    private final boolean descriptors;
    private int[] results = new int[16];
    private int head;
    private int size;
    private boolean ended;
    private int finalResult;
    /** Results are no longer wanted: descriptors are closed instead of queued. */
    private boolean discarding;

    /** @param descriptors whether results are descriptors this queue must close if nobody takes them */
    MultishotQueue(boolean descriptors) {
        this.descriptors = descriptors;
    }

    /** Worker: one completion; {@code more} false for the operation's last one. */
    synchronized void add(int result, boolean more) {
        if (!more) {
            ended = true;
            finalResult = result;
            if (result < 0) {
                return; // the end reason, not a result
            }
        }
        if (discarding) {
            if (descriptors && result >= 0) {
                LibC.close(result); // nobody will take it: the operation was abandoned or the driver is closing
            }
            return;
        }
        if (size == results.length) {
            int[] grown = new int[results.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = results[(head + i) % results.length];
            }
            results = grown;
            head = 0;
        }
        results[(head + size) % results.length] = result;
        size++;
    }

    /** Task: the next queued result, or {@link Integer#MIN_VALUE} when none is queued. */
    synchronized int poll() {
        if (size == 0) {
            return Integer.MIN_VALUE;
        }
        int result = results[head];
        head = (head + 1) % results.length;
        size--;
        return result;
    }

    synchronized int size() {
        return size;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** The last completion's result when it ended the operation with an error (negative), else 0. */
    synchronized int endError() {
        return finalResult < 0 ? finalResult : 0;
    }

    /**
     * Any thread, idempotent: drops every queued result and every later one, closing them if they
     * are descriptors. After this, {@link #poll()} finds nothing.
     */
    synchronized void discard() {
        discarding = true;
        for (int result = poll(); result != Integer.MIN_VALUE; result = poll()) {
            if (descriptors) {
                LibC.close(result);
            }
        }
    }

    synchronized boolean isDiscarding() {
        return discarding;
    }
}
