package io.veloq.io.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.veloq.uring.IoUringDriver;
import io.veloq.uring.ReceiveSink;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The receive side of one TCP stream where the kernel has multishot RECV: one RECV stays armed
 * on the ring of the worker whose task read when none was armed, the worker copies each arrival
 * here as it reaps (the provided buffer goes straight back to the kernel), and readers on any
 * worker take the bytes. A read that finds bytes waiting returns without entering the kernel;
 * one that finds none parks until the worker delivers.
 *
 * <p>Invariants, all under this object's monitor:
 * <ol>
 *   <li>At most one RECV is armed for the stream: {@code armedOn} is set by the reader that arms it
 *       and cleared only by its {@link #onEnd}.</li>
 *   <li>The armed RECV holds one entry of the stream's gate, taken before it is submitted and left
 *       in {@link #onEnd}, so the descriptor is never closed while the kernel may use it.</li>
 *   <li>Bytes are handed out in arrival order, each once; nothing received is dropped except by
 *       {@code shutdownInput} (whose contract discards it) or close.</li>
 *   <li>Buffering is bounded: once {@value #MAX_BUFFERED} bytes wait, {@link #onData} asks the
 *       driver to stop the RECV; the next read that empties the buffer arms a new one. A slow
 *       reader leaves the rest in the socket, under TCP flow control, not in memory.</li>
 *   <li>A reader parks only after adding itself to {@code waiters} under the monitor, and every
 *       change a reader can wait for (bytes, an end) unparks every waiter, so no wake-up is lost;
 *       woken readers re-check, and one of them arms again after an end that was not final.</li>
 * </ol>
 * Threading: {@link #read} and {@link #shutInput}: tasks of any worker, concurrently (concurrent
 * readers interleave, as with the JDK's channels); {@link #onData} and {@link #onEnd}: the
 * worker the RECV is armed on, as it reaps. A reader on another worker therefore depends on that
 * worker reaping: a stream handed to a task of another worker keeps its receives on the first one
 * until the RECV ends.
 *
 * <p>Costs: the armed RECV holds one op-table slot of its worker while the stream is open and
 * read (so {@code IoUringConfig.withMaxInFlight} bounds the streams a worker keeps armed), and
 * closing a stream with an armed RECV takes the gate's cancel path (a cancel task per worker).
 */
final class ReceiveInbox implements ReceiveSink {

    /** Bytes buffered before the armed RECV is stopped (a few more may follow it). */
    static final int MAX_BUFFERED = 64 * 1024;
    /** A byte ring at most this large is kept for reuse once emptied; a larger one is dropped. */
    static final int KEPT_CAPACITY = 16 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final UringTcpStream stream;
    /** A ring of {@code size} bytes from {@code head}; its length is 0 or a power of two. */
    private byte[] bytes = EMPTY;
    private int head;
    private int size;
    /** The worker whose ring holds the armed RECV; null when none is armed. */
    private IoUringDriver armedOn;
    private boolean endOfStream;
    private boolean inputShut;
    /** A negative errno that ended the RECV, thrown by the next read (once). */
    private int error;
    private final List<Thread> waiters = new ArrayList<>(2);

    ReceiveInbox(UringTcpStream stream) {
        this.stream = stream;
    }

    /**
     * Reads what is buffered (at least one byte), arming a RECV on {@code driver} (the caller's
     * worker) and parking while nothing is; -1 at end of stream or after {@link #shutInput}.
     */
    int read(ByteBuffer dst, IoUringDriver driver) throws IOException {
        Thread me = Thread.currentThread();
        boolean firstPass = true;
        for (;;) {
            if (me.isInterrupted()) {
                throw stream.closeOnInterrupt(null);
            }
            if (stream.isClosedNow()) {
                throw firstPass ? new ClosedChannelException() : new AsynchronousCloseException();
            }
            firstPass = false;
            boolean arm = false;
            synchronized (this) {
                if (inputShut) {
                    return -1;
                }
                if (size > 0) {
                    return take(dst);
                }
                if (error != 0) {
                    int e = error;
                    error = 0;
                    throw Sockets.error(e, stream.describe());
                }
                if (endOfStream) {
                    return -1;
                }
                if (armedOn == null) {
                    armedOn = driver;
                    arm = true;
                } else if (!waiters.contains(me)) {
                    waiters.add(me);
                }
            }
            if (arm) {
                arm(driver);
            } else {
                LockSupport.park(this);
            }
        }
    }

    /** {@code shutdownInput}: later reads return -1 at once; buffered bytes are discarded. */
    void shutInput() {
        synchronized (this) {
            inputShut = true;
            bytes = EMPTY;
            head = 0;
            size = 0;
            wakeAll();
        }
    }

    /** Submits the RECV on the caller's worker, holding a gate entry until its {@link #onEnd}. */
    private void arm(IoUringDriver driver) throws IOException {
        try {
            stream.enterGate();
        } catch (ClosedChannelException closed) {
            disarmed();
            throw new AsynchronousCloseException();
        }
        try {
            driver.armReceive(stream.fd, stream.fixedIndexOn(driver), this);
        } catch (IOException | RuntimeException | Error e) {
            disarmed();
            stream.exitGate();
            throw e;
        }
    }

    private void disarmed() {
        synchronized (this) {
            armedOn = null;
            wakeAll(); // another reader may be waiting for this arm: it arms itself
        }
    }

    @Override
    public boolean onData(MemorySegment data) {
        synchronized (this) {
            if (inputShut) {
                return false; // discarded, as shutdownInput promises; stop receiving
            }
            append(data);
            wakeAll();
            return size < MAX_BUFFERED;
        }
    }

    @Override
    public void onEnd(int reason) {
        synchronized (this) {
            armedOn = null;
            if (reason == 0) {
                endOfStream = true;
            } else if (reason < 0 && !stream.isClosedNow()) {
                error = reason; // after a close, readers report the close instead
            }
            wakeAll();
        }
        stream.exitGateFromDriver();
    }

    /** Unparks every waiting reader (under the monitor; an unpark only queues the task). */
    private void wakeAll() {
        for (int i = 0; i < waiters.size(); i++) {
            LockSupport.unpark(waiters.get(i));
        }
        waiters.clear();
    }

    private int take(ByteBuffer dst) {
        int n = Math.min(size, dst.remaining());
        int first = Math.min(n, bytes.length - head);
        dst.put(bytes, head, first);
        if (n > first) {
            dst.put(bytes, 0, n - first);
        }
        size -= n;
        head = size == 0 ? 0 : (head + n) & (bytes.length - 1);
        if (size == 0 && bytes.length > KEPT_CAPACITY) {
            bytes = EMPTY; // a burst's memory goes back once read; small rings stay for the next message
        }
        return n;
    }

    private void append(MemorySegment data) {
        int length = (int) data.byteSize();
        if (size + length > bytes.length) {
            grow(size + length);
        }
        int tail = (head + size) & (bytes.length - 1);
        int first = Math.min(length, bytes.length - tail);
        MemorySegment.copy(data, JAVA_BYTE, 0, bytes, tail, first);
        if (length > first) {
            MemorySegment.copy(data, JAVA_BYTE, first, bytes, 0, length - first);
        }
        size += length;
    }

    private void grow(int needed) {
        byte[] grown = new byte[Math.max(1024, Integer.highestOneBit(needed - 1) << 1)];
        int first = Math.min(size, bytes.length - head);
        System.arraycopy(bytes, head, grown, 0, first);
        System.arraycopy(bytes, 0, grown, first, size - first);
        bytes = grown;
        head = 0;
    }

    synchronized int buffered() {
        return size;
    }

    /** The index of the worker whose ring holds the armed RECV, or -1 when none is armed. */
    synchronized int armedWorker() {
        return armedOn == null ? -1 : armedOn.workerIndex();
    }

    synchronized boolean endOfStream() {
        return endOfStream;
    }

    synchronized boolean isInputShut() {
        return inputShut;
    }

    @Override
    public synchronized String toString() {
        return "ReceiveInbox[" + size + " B buffered"
                + (armedOn != null ? ", armed on worker " + armedOn.workerIndex() : "")
                + (endOfStream ? ", end of stream" : "") + (inputShut ? ", input shut" : "") + "]";
    }
}
