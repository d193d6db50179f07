package io.veloq.mesh;

import java.util.ArrayDeque;
import org.jctools.queues.MessagePassingQueue;

/**
 * The overflow of one sending worker: per destination, the messages that found the SPSC queue
 * full, in send order.
 *
 * <p>Threading contract: every method is called by the sending worker's thread only (the one
 * whose index is this outbox's row in the mesh). Nothing here is shared, so all fields are plain.
 * Lifecycle: created with the mesh, lives as long as it.
 *
 * <p>FIFO per pair holds because the mesh never offers a new message for a pair while that pair's
 * overflow is non-empty: it flushes the overflow first and spills the new message behind it when
 * the flush could not empty it.
 */
final class MeshOutbox<M> {

    /** Per destination; created on first spill. */
    private final ArrayDeque<M>[] pending;
    /** How many destinations have a non-empty deque; lets the common "no overflow" check be O(1). */
    private int nonEmptyPairs;
    /** Messages currently held, over all destinations. */
    private long size;

    @SuppressWarnings("unchecked")
    MeshOutbox(int workers) {
        this.pending = (ArrayDeque<M>[]) new ArrayDeque<?>[workers];
    }

    boolean isEmpty() {
        return nonEmptyPairs == 0;
    }

    boolean hasPending(int to) {
        ArrayDeque<M> deque = pending[to];
        return deque != null && !deque.isEmpty();
    }

    long size() {
        return size;
    }

    /** Appends behind every earlier message of this pair. */
    void spill(int to, M message) {
        ArrayDeque<M> deque = pending[to];
        if (deque == null) {
            deque = new ArrayDeque<>();
            pending[to] = deque;
        }
        if (deque.isEmpty()) {
            nonEmptyPairs++;
        }
        deque.addLast(message);
        size++;
    }

    /**
     * Moves this pair's overflow into its queue, oldest first, until the queue is full or the
     * overflow is empty.
     *
     * @return how many messages were published
     */
    int flushTo(int to, MessagePassingQueue<M> queue) {
        ArrayDeque<M> deque = pending[to];
        if (deque == null || deque.isEmpty()) {
            return 0;
        }
        int moved = 0;
        M head;
        while ((head = deque.peekFirst()) != null && queue.offer(head)) {
            deque.pollFirst();
            moved++;
        }
        size -= moved;
        if (deque.isEmpty()) {
            nonEmptyPairs--;
        }
        return moved;
    }
}
