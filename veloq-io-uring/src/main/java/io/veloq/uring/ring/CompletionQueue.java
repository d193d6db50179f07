package io.veloq.uring.ring;

import io.veloq.uring.ffi.IoUringParams;
import io.veloq.uring.ffi.RingMemory;
import java.lang.foreign.MemorySegment;

/**
 * The completion queue: the CQ ring's head, tail, overflow counter and CQE array.
 *
 * <p>Threading: owner thread only. The shared indices:
 * <ul>
 *   <li>{@code tail} is written by the kernel with {@code smp_store_release} after it filled the
 *       CQEs; we read it with acquire, so the CQE contents we then read plainly are complete;</li>
 *   <li>{@code head} is written by us with release once a batch has been read; the kernel reads
 *       it (acquire) before reusing a slot, so it never overwrites a CQE we are still reading.</li>
 * </ul>
 * Only we write {@code head}, so our copy of it is authoritative and kept in a plain field.
 */
public final class CompletionQueue {

    /** Receives one completion; called on the owner thread while the queue is being drained. */
    @FunctionalInterface
    public interface Handler {
        void onCompletion(long userData, int res, int flags);
    }

    private final MemorySegment ring;
    private final MemorySegment cqes;
    private final long headOffset;
    private final long tailOffset;
    private final long overflowOffset;
    private final int mask;
    private final int entries;

    private int head;

    CompletionQueue(MemorySegment cqRing, IoUringParams params) {
        this.ring = cqRing;
        this.headOffset = params.cqOffset("head");
        this.tailOffset = params.cqOffset("tail");
        this.overflowOffset = params.cqOffset("overflow");
        this.mask = RingMemory.getPlain(cqRing, params.cqOffset("ring_mask"));
        this.entries = RingMemory.getPlain(cqRing, params.cqOffset("ring_entries"));
        this.cqes = cqRing.asSlice(params.cqOffset("cqes"), (long) entries * RingMemory.CQE_SIZE);
        this.head = RingMemory.getPlain(cqRing, headOffset);
    }

    public int capacity() {
        return entries;
    }

    /** Completions waiting to be drained. */
    public int ready() {
        return kernelTail() - head;
    }

    /**
     * Hands every completion present now to {@code handler}, in order, then publishes the new
     * head. Completions the handler causes (an inline submission) are left for the next drain.
     * If the handler throws, the completions before and including the failing one are consumed.
     *
     * @return the number of completions handed over
     */
    public int drain(Handler handler) {
        int tail = kernelTail();
        int start = head;
        try {
            while (head != tail) {
                int index = head & mask;
                head++;
                handler.onCompletion(RingMemory.cqeUserData(cqes, index), RingMemory.cqeRes(cqes, index),
                        RingMemory.cqeFlags(cqes, index));
            }
        } finally {
            // Release: pairs with the kernel's acquire of cq.head before it reuses these slots.
            RingMemory.setRelease(ring, headOffset, head);
        }
        return head - start;
    }

    /** Completions the kernel had to drop (CQ full and no room to keep them); 0 with FEAT_NODROP. */
    public int overflowCount() {
        return RingMemory.getOpaque(ring, overflowOffset);
    }

    private int kernelTail() {
        // Acquire: pairs with the kernel's smp_store_release of cq.tail after it wrote the CQEs.
        return RingMemory.getAcquire(ring, tailOffset);
    }
}
