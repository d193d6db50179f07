package io.veloq.core.timer;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One worker's timers: a binary min-heap ordered by deadline, then by scheduling order.
 *
 * <p>Threading contract: owner worker only — the worker loop, and tasks running on that worker
 * (the same OS thread), so every access is plain. Other threads reach a worker's timers by
 * sending it work (a task or a mesh message) that schedules the timer there.
 *
 * <p>Why a heap and not a wheel: timers here are few per worker (driver timeouts, user timers);
 * the JDK's own timed parks ({@code Thread.sleep}, {@code parkNanos}) do not come here, they are
 * woken by the JDK's unparker threads. A heap gives exact deadlines, O(log n) schedule and cancel
 * (the entry knows its slot), and O(1) {@link #nextDeadline()} for the worker's park timeout.
 *
 * <p>Actions run on the worker's platform thread, outside any task: keep them short and
 * non-blocking (typically they unpark a task or complete an operation). An action that throws is
 * reported to the error sink and the other due timers still run.
 */
public final class TimerQueue {

    private final Consumer<Throwable> errors;
    private Entry[] heap = new Entry[16];
    private int size;
    private long sequence;

    /** @param errors receives exceptions thrown by timer actions */
    public TimerQueue(Consumer<Throwable> errors) {
        this.errors = Objects.requireNonNull(errors, "errors");
    }

    /**
     * Schedules {@code action} to run on this worker once {@code deadlineNanos} ({@link
     * System#nanoTime()} clock) has passed. A deadline in the past fires at the worker's next round.
     */
    public TimerHandle schedule(long deadlineNanos, Runnable action) {
        Objects.requireNonNull(action, "action");
        Entry entry = new Entry(this, deadlineNanos, sequence++, action);
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        entry.slot = size;
        heap[size++] = entry;
        siftUp(entry.slot);
        return entry;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when no timer is pending. */
    public long nextDeadline() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /** True if a timer is due at {@code now}. */
    public boolean hasDue(long now) {
        return size > 0 && heap[0].deadline - now <= 0;
    }

    /** Runs every timer due at {@code now}, earliest first; returns how many ran. */
    public int runDue(long now) {
        int ran = 0;
        while (size > 0 && heap[0].deadline - now <= 0) {
            Entry entry = heap[0];
            removeAt(0);
            ran++;
            try {
                entry.action.run();
            } catch (Throwable failure) {
                errors.accept(failure);
            }
        }
        return ran;
    }

    /** Drops every pending timer without running it (worker termination). */
    public void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].slot = -1;
            heap[i] = null;
        }
        size = 0;
    }

    private void removeAt(int slot) {
        Entry removed = heap[slot];
        removed.slot = -1;
        Entry last = heap[--size];
        heap[size] = null;
        if (slot != size) {
            heap[slot] = last;
            last.slot = slot;
            siftDown(slot);
            if (heap[slot] == last) {
                siftUp(slot);
            }
        }
    }

    private void siftUp(int slot) {
        Entry entry = heap[slot];
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            Entry p = heap[parent];
            if (!entry.before(p)) {
                break;
            }
            heap[slot] = p;
            p.slot = slot;
            slot = parent;
        }
        heap[slot] = entry;
        entry.slot = slot;
    }

    private void siftDown(int slot) {
        Entry entry = heap[slot];
        int half = size >>> 1;
        while (slot < half) {
            int child = 2 * slot + 1;
            int right = child + 1;
            if (right < size && heap[right].before(heap[child])) {
                child = right;
            }
            if (!heap[child].before(entry)) {
                break;
            }
            heap[slot] = heap[child];
            heap[slot].slot = slot;
            slot = child;
        }
        heap[slot] = entry;
        entry.slot = slot;
    }

    private static final class Entry implements TimerHandle {
        private final TimerQueue queue;
        private final long deadline;
        private final long order;
        private final Runnable action;
        /** Index in the heap, or -1 once fired, cancelled or cleared. */
        private int slot;

        Entry(TimerQueue queue, long deadline, long order, Runnable action) {
            this.queue = queue;
            this.deadline = deadline;
            this.order = order;
            this.action = action;
        }

        boolean before(Entry other) {
            long d = deadline - other.deadline; // overflow-safe comparison on the nanoTime clock
            return d < 0 || (d == 0 && order < other.order);
        }

        @Override
        public boolean cancel() {
            if (slot < 0) {
                return false;
            }
            queue.removeAt(slot);
            return true;
        }

        @Override
        public long deadlineNanos() {
            return deadline;
        }

        @Override
        public boolean isPending() {
            return slot >= 0;
        }

        @Override
        public String toString() {
            return "Timer[deadline=" + deadline + (slot >= 0 ? ", pending]" : ", done]");
        }
    }
}
