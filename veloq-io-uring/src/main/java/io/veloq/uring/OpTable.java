package io.veloq.uring;

import io.veloq.uring.ffi.IoUringLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The operations in flight on one worker: a growable array of slots, each with a generation, the
 * waiting task and, once completed, the result.
 *
 * <p>Threading: owner only — the worker thread and the tasks it runs (the same OS thread, one at
 * a time). The completion hand-off goes from the worker (which reaps) to a task (which reads the
 * result) through {@link Slot#state}: the reaper writes the result, then the state with release;
 * the task reads the state with acquire, then the result. They run on one OS thread, but they are
 * different Java threads, so the ordering is stated rather than assumed.
 *
 * <p>Lifecycle of a slot: FREE --acquire--> PENDING --complete--> COMPLETED --release--> FREE,
 * the generation advancing on every acquire so that a completion for an earlier use is stale.
 */
final class OpTable {

    static final int FREE = 0;
    static final int PENDING = 1;
    static final int COMPLETED = 2;

    /** One operation: owner-only fields except {@code state} (release/acquire, see the class comment). */
    static final class Slot {
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Slot.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final int index;
        /** 16 bytes of native memory for this slot's LINK_TIMEOUT; never moves while the table lives. */
        final MemorySegment timespec;
        int generation;
        @SuppressWarnings("unused") // accessed through STATE
        private int state;
        Thread waiter;
        ResultKind kind;
        int result;
        int cqeFlags;
        /** A cancellation (ASYNC_CANCEL) was sent because the waiter was interrupted. */
        boolean cancelledByInterrupt;
        /** A cancellation was sent because the deadline passed (self-timed waits). */
        boolean cancelledByDeadline;
        /** Completed (or given up) by the driver's close; the waiter gets an exception. */
        boolean completedByClose;
        /** The results of a multishot operation, queued until its task takes them; null for single-shot. */
        MultishotQueue multishot;
        /** Where a multishot RECV into provided buffers delivers; null for other operations. */
        ReceiveSink receiver;
        Slot nextFree;

        Slot(int index, MemorySegment timespec) {
            this.index = index;
            this.timespec = timespec;
        }

        long userData() {
            return UserData.pack(index, generation);
        }

        int state() {
            // Acquire: pairs with the release in markCompleted; result fields are visible after it.
            return (int) STATE.getAcquire(this);
        }

        boolean isCompleted() {
            return state() == COMPLETED;
        }

        boolean cancelRequested() {
            return cancelledByInterrupt || cancelledByDeadline;
        }

        void markCompleted(int result, int flags) {
            this.result = result;
            this.cqeFlags = flags;
            // Release: publishes result and flags to the waiter's acquire in state().
            STATE.setRelease(this, COMPLETED);
        }

        private void setState(int value) {
            STATE.set(this, value); // owner-only transitions with no reader waiting
        }
    }

    private static final long TIMESPEC_SIZE = IoUringLayouts.KERNEL_TIMESPEC.byteSize();

    private final Arena arena;
    private final int maxSlots;
    private Slot[] slots;
    private Slot freeHead;
    private int inFlight;
    private int pending;
    private long staleCompletions;
    private long duplicateCompletions;

    /**
     * @param arena where the slots' timespecs are allocated (chunk by chunk as the table grows)
     * @param initialSlots the first chunk's size
     * @param maxSlots the most operations in flight at once
     */
    OpTable(Arena arena, int initialSlots, int maxSlots) {
        if (initialSlots < 1 || maxSlots < initialSlots) {
            throw new IllegalArgumentException("initialSlots " + initialSlots + ", maxSlots " + maxSlots);
        }
        this.arena = arena;
        this.maxSlots = maxSlots;
        this.slots = new Slot[0];
        grow(initialSlots);
    }

    /**
     * Takes a free slot for a new operation of {@code waiter}, advancing its generation.
     *
     * @throws IllegalStateException if {@code maxSlots} operations are already in flight
     */
    Slot acquire(Thread waiter, ResultKind kind) {
        if (freeHead == null) {
            if (slots.length >= maxSlots) {
                throw new IllegalStateException(maxSlots + " operations already in flight on this worker");
            }
            grow(Math.min(maxSlots, slots.length * 2) - slots.length);
        }
        Slot slot = freeHead;
        freeHead = slot.nextFree;
        slot.nextFree = null;
        slot.generation = UserData.nextGeneration(slot.generation);
        slot.waiter = waiter;
        slot.kind = kind;
        slot.result = 0;
        slot.cqeFlags = 0;
        slot.cancelledByInterrupt = false;
        slot.cancelledByDeadline = false;
        slot.completedByClose = false;
        slot.multishot = null;
        slot.receiver = null;
        slot.setState(PENDING);
        inFlight++;
        pending++;
        return slot;
    }

    /**
     * The slot a completion belongs to, or null if it is stale (an earlier generation of the slot)
     * or a duplicate (the slot already completed); both are counted, never delivered.
     */
    Slot lookup(long userData) {
        int index = UserData.slot(userData);
        if (index < 0 || index >= slots.length) {
            staleCompletions++;
            return null;
        }
        Slot slot = slots[index];
        if (slot.generation != UserData.generation(userData)) {
            staleCompletions++;
            return null;
        }
        if (slot.state() != PENDING) {
            duplicateCompletions++;
            return null;
        }
        return slot;
    }

    /** Records the completion of a slot {@link #lookup} returned and publishes it to the waiter. */
    void complete(Slot slot, int result, int flags) {
        pending--;
        slot.markCompleted(result, flags);
    }

    /** Returns a completed slot to the free list; its waiter has read the result. */
    void release(Slot slot) {
        if (slot.state() != COMPLETED) {
            throw new IllegalStateException("slot " + slot.index + " released before its completion");
        }
        slot.waiter = null;
        slot.kind = null;
        slot.multishot = null;
        slot.receiver = null;
        slot.setState(FREE);
        slot.nextFree = freeHead;
        freeHead = slot;
        inFlight--;
    }

    /** Applies {@code action} to every slot still waiting for its completion. */
    void forEachPending(Consumer<Slot> action) {
        for (Slot slot : slots) {
            if (slot.state() == PENDING) {
                action.accept(slot);
            }
        }
    }

    /** Applies {@code action} to every slot acquired and not yet released (pending or completed). */
    void forEachInUse(Consumer<Slot> action) {
        for (Slot slot : slots) {
            if (slot.state() != FREE) {
                action.accept(slot);
            }
        }
    }

    /** Whether {@link #acquire} would succeed now (a free slot, or room to grow). */
    boolean hasRoom() {
        return freeHead != null || slots.length < maxSlots;
    }

    /** Operations acquired and not yet released. */
    int inFlight() {
        return inFlight;
    }

    /** Slots still waiting for their completion ({@link #inFlight} also counts completed, unreleased ones). */
    int pending() {
        return pending;
    }

    long staleCompletions() { return staleCompletions; }
    long duplicateCompletions() { return duplicateCompletions; }
    int capacity() { return slots.length; }

    private void grow(int more) {
        MemorySegment timespecs = arena.allocate(TIMESPEC_SIZE * more, 8);
        Slot[] grown = java.util.Arrays.copyOf(slots, slots.length + more);
        List<Slot> added = new ArrayList<>(more);
        for (int i = 0; i < more; i++) {
            int index = slots.length + i;
            grown[index] = new Slot(index, timespecs.asSlice(i * TIMESPEC_SIZE, TIMESPEC_SIZE));
            added.add(grown[index]);
        }
        for (int i = added.size() - 1; i >= 0; i--) {
            added.get(i).nextFree = freeHead;
            freeHead = added.get(i);
        }
        slots = grown;
    }
}
