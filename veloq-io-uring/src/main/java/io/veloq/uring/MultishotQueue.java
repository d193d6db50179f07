package io.veloq.uring;

import io.veloq.uring.ffi.LibC;

/**
 * The completions of one multishot operation (each CQE but the last carries IORING_CQE_F_MORE),
 * queued by the worker as it reaps them until the task takes them with
 * {@link MultishotOperation#next()}.
 *
 * <p>Threading: the worker (producer, in its reap) and the task (consumer) run on the same OS
 * thread but are different Java threads; the methods are synchronized, which orders them and is
 * never contended.
 */
final class MultishotQueue {

    private int[] results = new int[16];
    private int head;
    private int size;
    private boolean ended;
    private int finalResult;

    /** Worker: one completion; {@code more} false for the operation's last one. */
    synchronized void add(int result, boolean more) {
        if (!more) {
            ended = true;
            finalResult = result;
            if (result < 0) {
                return; // the end reason, not a result
            }
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

    /** Closes every queued result, which are descriptors nobody will take. */
    synchronized void closeQueuedDescriptors() {
        for (int result = poll(); result != Integer.MIN_VALUE; result = poll()) {
            LibC.close(result);
        }
    }
}
