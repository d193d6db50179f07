package io.veloq.uring.ring;

import io.veloq.uring.ffi.IoUringParams;
import io.veloq.uring.ffi.RingMemory;
import io.veloq.uring.ffi.Sqe;
import java.lang.foreign.MemorySegment;

/**
 * The submission queue: the SQ ring (head, tail, flags, the index array) and the SQE array.
 *
 * <p>Threading: owner thread only (the worker, and the tasks it runs, which execute on the same
 * OS thread one at a time). Fields written by the owner are plain; the two shared indices are
 * accessed as follows:
 * <ul>
 *   <li>{@code head} is written by the kernel ({@code smp_store_release} once it has consumed
 *       entries); we read it with acquire, so an SQE slot is reused only after the kernel is done
 *       reading it;</li>
 *   <li>{@code tail} is written by us with release ({@link #publish}) after the SQEs are filled;
 *       the kernel reads it with {@code smp_load_acquire}, so it sees complete SQEs.</li>
 * </ul>
 * Entries are filled in order and the index array is the identity mapping written once at setup,
 * so slot {@code tail & mask} always describes SQE {@code tail & mask}.
 */
public final class SubmissionQueue {

    private final MemorySegment ring;
    private final long headOffset;
    private final long tailOffset;
    private final long flagsOffset;
    private final long droppedOffset;
    private final int mask;
    private final int entries;
    private final Sqe sqe;

    /** Next entry to fill; entries below it and at or above the kernel's head are pending. */
    private int tail;

    SubmissionQueue(MemorySegment sqRing, MemorySegment sqes, IoUringParams params) {
        this.ring = sqRing;
        this.headOffset = params.sqOffset("head");
        this.tailOffset = params.sqOffset("tail");
        this.flagsOffset = params.sqOffset("flags");
        this.droppedOffset = params.sqOffset("dropped");
        this.mask = RingMemory.getPlain(sqRing, params.sqOffset("ring_mask"));
        this.entries = RingMemory.getPlain(sqRing, params.sqOffset("ring_entries"));
        this.sqe = new Sqe(sqes);
        long array = params.sqOffset("array");
        for (int i = 0; i < entries; i++) {
            // Written once before any submission; the first io_uring_enter(2) orders it.
            RingMemory.setPlain(sqRing, array + (long) i * Integer.BYTES, i);
        }
        this.tail = RingMemory.getPlain(sqRing, tailOffset);
    }

    public int capacity() {
        return entries;
    }

    /** Entries free for filling right now, without submitting. */
    public int free() {
        return entries - (tail - kernelHead());
    }

    /** Entries filled but not yet consumed by the kernel (what the next io_uring_enter submits). */
    public int pending() {
        return tail - kernelHead();
    }

    /**
     * The writer positioned on the next free entry, zeroed. The caller must have checked
     * {@link #free()} (the ring's {@code Ring#reserve} does, submitting when the queue is full).
     *
     * @throws IllegalStateException if the queue is full
     */
    public Sqe next() {
        if (free() <= 0) {
            throw new IllegalStateException("submission queue full: reserve entries first");
        }
        return sqe.moveTo(tail++ & mask);
    }

    /** Publishes the filled entries to the kernel (release; pairs with its acquire load of tail). */
    void publish() {
        RingMemory.setRelease(ring, tailOffset, tail);
    }

    /** IORING_SQ_* flags (CQ_OVERFLOW, TASKRUN): a hint, read opaquely; the syscall that follows orders. */
    int kernelFlags() {
        return RingMemory.getOpaque(ring, flagsOffset);
    }

    /** Entries the kernel dropped as invalid (only ever non-zero after a bug of ours). */
    int dropped() {
        return RingMemory.getOpaque(ring, droppedOffset);
    }

    private int kernelHead() {
        // Acquire: pairs with the kernel's smp_store_release of sq.head after it read the SQEs.
        return RingMemory.getAcquire(ring, headOffset);
    }
}
