package io.veloq.mesh;

import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Consumer;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.SpscArrayQueue;

/**
 * The N×N matrix of single-producer single-consumer queues between N workers, flattened so the
 * queue from worker {@code from} to worker {@code to} is {@code queues[from * N + to]}.
 *
 * <p>Threading contract (worker {@code i} means the thread of worker i, and only it):
 * <ul>
 *   <li>{@link #send}{@code (from, …)}, {@link #flushOverflow}{@code (from)},
 *       {@link #hasOverflow}{@code (from)} — worker {@code from}: it is the single producer of row
 *       {@code from} and the sole owner of that row's overflow.</li>
 *   <li>{@link #drain}{@code (to, …)}, {@link #hasInbound}{@code (to)} — worker {@code to}: it is
 *       the single consumer of column {@code to}.</li>
 *   <li>{@link #workers()} — any thread.</li>
 * </ul>
 * Lifecycle: built once before the workers start (safe publication is the starter's job, e.g.
 * {@code Thread.start}), used for the runtime's life, then dropped.
 *
 * <p>A send never blocks and never drops: when the pair's queue is full the message goes to the
 * sender's overflow for that pair, flushed first on the sender's next send to that pair and on each
 * {@link #flushOverflow}; the worker must not sleep indefinitely while {@link #hasOverflow} holds.
 * After publishing anything, the sender wakes the destination if it sleeps ({@link SleepState}).
 * Two workers sending to each other with both queues full therefore cannot deadlock: each keeps
 * running its loop, draining its own inbound queues and flushing its overflow.
 *
 * <p>With many workers an inbound hint per destination (one word that senders set after
 * publishing) lets {@link #drain} and {@link #hasInbound} answer "nothing" with one load instead of
 * polling N − 1 queues. It costs senders one store to a shared line, so it is used from
 * {@value #HINT_THRESHOLD} workers on. The protocol is in {@code package-info.java}.
 */
public final class Mesh<M> {

    /** Largest accepted {@code queueCapacity} (after rounding up to a power of two). */
    static final int MAX_QUEUE_CAPACITY = 1 << 30;
    /** Largest accepted worker count: N² queues must stay reasonable. */
    static final int MAX_WORKERS = 1024;
    /** From this many workers on, senders maintain the per-destination inbound hint. */
    static final int HINT_THRESHOLD = 8;

    // Immutable after construction; read by every worker.
    private final int n;
    private final int queueCapacity;
    private final boolean inboundHints;
    private final SpscArrayQueue<M>[] queues;
    private final SleepState[] sleepers;

    // Row i is written by worker i only (sender side).
    private final MeshOutbox<M>[] outboxes;

    // Slot i: hint written by senders to i and by worker i; cursor by worker i only.
    private final InboxSlots slots;

    // Element i: worker i only (caches the adapter for its usual sink; see drain).
    private final Consumer<?>[] lastSink;
    private final MessagePassingQueue.Consumer<?>[] lastAdapter;

    /**
     * @param workers       number of workers N, 1..{@value #MAX_WORKERS}
     * @param queueCapacity slots per ordered pair, &gt; 0; rounded up to a power of two, and to
     *                      at least 4 (the smallest JCTools' SPSC array queue makes)
     * @param sleepers      one {@link SleepState} per worker, index = worker id
     */
    public Mesh(int workers, int queueCapacity, SleepState[] sleepers) {
        this(workers, queueCapacity, sleepers, workers >= HINT_THRESHOLD);
    }

    /** Package-private so tests can run both the hinted and the scanning variant at any size. */
    @SuppressWarnings("unchecked")
    Mesh(int workers, int queueCapacity, SleepState[] sleepers, boolean inboundHints) {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException(
                    "workers must be in [1, " + MAX_WORKERS + "], was " + workers);
        }
        if (queueCapacity <= 0) {
            throw new IllegalArgumentException("queueCapacity must be > 0, was " + queueCapacity);
        }
        if (queueCapacity > MAX_QUEUE_CAPACITY) {
            throw new IllegalArgumentException(
                    "queueCapacity must be <= " + MAX_QUEUE_CAPACITY + ", was " + queueCapacity);
        }
        Objects.requireNonNull(sleepers, "sleepers");
        if (sleepers.length != workers) {
            throw new IllegalArgumentException("sleepers.length must equal workers (" + workers
                    + "), was " + sleepers.length);
        }
        for (int i = 0; i < workers; i++) {
            if (sleepers[i] == null) {
                throw new NullPointerException("sleepers[" + i + "] is null");
            }
        }
        this.n = workers;
        this.inboundHints = inboundHints;
        this.sleepers = sleepers.clone();
        int rounded = roundUpToPowerOfTwo(queueCapacity);
        this.queues = (SpscArrayQueue<M>[]) new SpscArrayQueue<?>[workers * workers];
        int actual = rounded;
        for (int from = 0; from < workers; from++) {
            for (int to = 0; to < workers; to++) {
                if (from != to) {
                    SpscArrayQueue<M> queue = new SpscArrayQueue<>(rounded);
                    queues[from * workers + to] = queue;
                    actual = queue.capacity();
                }
            }
        }
        this.queueCapacity = actual;
        this.outboxes = (MeshOutbox<M>[]) new MeshOutbox<?>[workers];
        for (int i = 0; i < workers; i++) {
            outboxes[i] = new MeshOutbox<>(workers);
        }
        this.slots = new InboxSlots(workers);
        this.lastSink = new Consumer<?>[workers];
        this.lastAdapter = new MessagePassingQueue.Consumer<?>[workers];
    }

    public int workers() {
        return n;
    }

    /**
     * Worker {@code from} only. Publishes {@code message} to worker {@code to}, behind every
     * earlier message of the same pair; spills to the overflow when the queue is full.
     *
     * @throws IllegalArgumentException if {@code from == to} (local work belongs in the worker's
     *                                  own run queue)
     */
    public void send(int from, int to, M message) {
        checkWorker("from", from);
        checkWorker("to", to);
        if (from == to) {
            throw new IllegalArgumentException("send from worker " + from
                    + " to itself: local work goes to the worker's own run queue, not the mesh");
        }
        Objects.requireNonNull(message, "message");
        MeshOutbox<M> outbox = outboxes[from];
        SpscArrayQueue<M> queue = queues[from * n + to];
        int published = outbox.hasPending(to) ? outbox.flushTo(to, queue) : 0;
        if (!outbox.hasPending(to) && queue.offer(message)) {
            published++;
        } else {
            outbox.spill(to, message);
        }
        if (published > 0) {
            signal(to);
        }
    }

    /**
     * Worker {@code from} only: moves what fits from its overflow into the queues, oldest first.
     *
     * @return true when no overflow remains
     */
    public boolean flushOverflow(int from) {
        checkWorker("from", from);
        MeshOutbox<M> outbox = outboxes[from];
        if (outbox.isEmpty()) {
            return true;
        }
        for (int to = 0; to < n; to++) {
            if (outbox.hasPending(to) && outbox.flushTo(to, queues[from * n + to]) > 0) {
                signal(to);
            }
        }
        return outbox.isEmpty();
    }

    /** Worker {@code from} only: true while some of its messages wait in its overflow. */
    public boolean hasOverflow(int from) {
        checkWorker("from", from);
        return !outboxes[from].isEmpty();
    }

    /**
     * Worker {@code to} only: hands up to {@code limit} messages to {@code sink}, taking batches
     * round-robin over the N − 1 source queues and starting where the previous drain stopped, so
     * no source starves. If {@code sink} throws, the exception propagates; the messages handed
     * over before it (including the one it threw on) are consumed, the rest stay queued.
     *
     * @return how many messages were handed to {@code sink}
     */
    public int drain(int to, int limit, Consumer<? super M> sink) {
        checkWorker("to", to);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        Objects.requireNonNull(sink, "sink");
        int sources = n - 1;
        if (limit == 0 || sources == 0) {
            return 0;
        }
        if (inboundHints) {
            if (!slots.mayHaveInbound(to)) {
                return 0;
            }
            slots.takeHint(to);
        }
        MessagePassingQueue.Consumer<M> adapter = adapter(to, sink);
        int batch = Math.max(1, limit / sources);
        int start = slots.cursor(to);
        int k = start;
        int taken = 0;
        boolean exhausted = false; // the last pass found every queue empty
        try {
            boolean maybeMore = true;
            while (maybeMore && taken < limit) {
                maybeMore = false;
                for (int i = 0; i < sources && taken < limit; i++) {
                    int want = Math.min(batch, limit - taken);
                    int got = queues[sourceIndex(k, to)].drain(adapter, want);
                    taken += got;
                    maybeMore |= got == want;
                    k = k + 1 == sources ? 0 : k + 1;
                }
            }
            exhausted = !maybeMore;
        } finally {
            // Next drain starts after the last queue served; after whole passes, rotate by one.
            slots.cursor(to, k != start ? k : (start + 1 == sources ? 0 : start + 1));
            if (inboundHints && !exhausted) {
                // Limit reached or the sink threw: messages may remain (package-info, drain step 4).
                slots.restoreHint(to);
            }
        }
        return taken;
    }

    /**
     * Worker {@code to} only: whether any message waits for it. After
     * {@link SleepState#announceSleep()} a false answer is reliable (package-info, steps 3–4);
     * a true answer may be spurious.
     */
    public boolean hasInbound(int to) {
        checkWorker("to", to);
        if (inboundHints) {
            return slots.mayHaveInbound(to);
        }
        for (int k = 0; k < n - 1; k++) {
            // isEmpty loads both indices with volatile reads; ordered after announceSleep's fence.
            if (!queues[sourceIndex(k, to)].isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Effective capacity of each pair's queue. */
    int queueCapacity() {
        return queueCapacity;
    }

    boolean usesInboundHints() {
        return inboundHints;
    }

    /** Worker {@code from} only: messages held in its overflow. */
    long overflowSize(int from) {
        checkWorker("from", from);
        return outboxes[from].size();
    }

    @Override
    public String toString() {
        return "Mesh[workers=" + n + ", queueCapacity=" + queueCapacity
                + (inboundHints ? ", inboundHints" : "") + "]";
    }

    private void signal(int to) {
        if (inboundHints) {
            slots.markInbound(to);
            // StoreLoad covering the offers and the hint; pairs with announceSleep's fence.
            VarHandle.fullFence();
            sleepers[to].notifyWorkAfterFence();
        } else {
            sleepers[to].notifyWork();
        }
    }

    /** Queue index of the k-th source (k in [0, N-1)) of destination {@code to}. */
    private int sourceIndex(int k, int to) {
        int from = to + 1 + k;
        if (from >= n) {
            from -= n;
        }
        return from * n + to;
    }

    @SuppressWarnings("unchecked")
    private MessagePassingQueue.Consumer<M> adapter(int to, Consumer<? super M> sink) {
        if (lastSink[to] != sink) {
            lastSink[to] = sink;
            lastAdapter[to] = (MessagePassingQueue.Consumer<M>) sink::accept;
        }
        return (MessagePassingQueue.Consumer<M>) lastAdapter[to];
    }

    private void checkWorker(String role, int index) {
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException(
                    "worker index " + role + "=" + index + " out of range [0, " + n + ") for " + n + " workers");
        }
    }

    private static int roundUpToPowerOfTwo(int value) {
        return value == 1 ? 1 : Integer.highestOneBit(value - 1) << 1;
    }
}
