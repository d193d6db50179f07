package io.veloq.core.sched;

import java.util.function.Consumer;

/**
 * A worker's private FIFO of runnable items: continuations of its virtual threads ({@link
 * Runnable}) and tasks that may not be stolen ({@link SpawnTask}).
 *
 * <p>Threading contract: owner worker only — its platform thread and the virtual threads mounted
 * on it, which are the same OS thread, so every access is plain. Never shared, never padded.
 *
 * <p>Unbounded: it grows by doubling, because the JDK hands us continuations that must not be
 * rejected ({@code execute} throwing would surface in an unrelated {@code unpark}). The initial
 * capacity is the builder's run-queue capacity; intake per round is bounded by the round budgets.
 */
final class LocalRunQueue {

    private Object[] ring;
    private int mask;
    private long head; // next to poll
    private long tail; // next free slot

    LocalRunQueue(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(16, initialCapacity) - 1) << 1;
        ring = new Object[capacity];
        mask = capacity - 1;
    }

    void offer(Object item) {
        if (tail - head == ring.length) {
            grow();
        }
        ring[(int) tail & mask] = item;
        tail++;
    }

    Object poll() {
        if (head == tail) {
            return null;
        }
        int index = (int) head & mask;
        Object item = ring[index];
        ring[index] = null;
        head++;
        return item;
    }

    Object peek() {
        return head == tail ? null : ring[(int) head & mask];
    }

    /**
     * Removes {@code item} if it is the oldest or the newest entry (identity), as an inline join
     * does with the task it claimed: the common join orders (spawn order, reverse order) find it
     * at one end. Entries in the middle stay; their consumer finds them claimed and drops them.
     *
     * @return true if removed
     */
    boolean removeAtEnds(Object item) {
        if (head == tail) {
            return false;
        }
        int first = (int) head & mask;
        if (ring[first] == item) {
            ring[first] = null;
            head++;
            return true;
        }
        int last = (int) (tail - 1) & mask;
        if (ring[last] == item) {
            ring[last] = null;
            tail--;
            return true;
        }
        return false;
    }

    boolean isEmpty() {
        return head == tail;
    }

    int size() {
        return (int) (tail - head);
    }

    /** Visits the queued items oldest first, without removing them (owner only, e.g. for dumps). */
    void forEach(Consumer<Object> visitor) {
        for (long i = head; i < tail; i++) {
            visitor.accept(ring[(int) i & mask]);
        }
    }

    private void grow() {
        Object[] bigger = new Object[ring.length << 1];
        int size = size();
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(int) (head + i) & mask];
        }
        ring = bigger;
        mask = bigger.length - 1;
        head = 0;
        tail = size;
    }
}
