package io.veloq.io.uring;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Direct buffers handed to the kernel by address. A direct buffer may be a view of a
 * {@link MemorySegment} whose arena can be closed: the JDK's channels refuse such memory when it
 * is closed or confined to another thread (they hold the arena's scope for the call), and so does
 * this backend, since the kernel would otherwise read or write freed memory. Stateless.
 *
 * <p>Limit: a shared arena closed by another thread while the operation is in flight is not held
 * off (the JDK offers no public way to hold a scope across a park); closing memory an operation
 * uses is the caller's bug, as with any asynchronous I/O.
 */
final class NativeBuffers {

    private NativeBuffers() {}

    /**
     * The address of {@code buffer}'s {@code [position, limit)}.
     *
     * @throws IllegalStateException if its memory belongs to a closed arena
     * @throws WrongThreadException if its memory is confined to another thread
     */
    static long address(ByteBuffer buffer) {
        MemorySegment segment = MemorySegment.ofBuffer(buffer);
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("Already closed: the buffer's memory belongs to a closed arena");
        }
        if (!segment.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("Attempted access outside owning thread: the buffer's memory is confined to "
                    + "another thread's arena");
        }
        return segment.address();
    }
}
