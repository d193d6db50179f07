package io.veloq.uring.buffer;

/** What {@link RegisteredBufferPool#lease()} does when every registered buffer is leased. */
public enum ExhaustionPolicy {

    /** Park the task until a buffer is returned (interruptible). */
    WAIT,

    /**
     * Hand out an unregistered, page-aligned buffer of the same size; operations on it use plain
     * READ/WRITE instead of READ_FIXED/WRITE_FIXED. Never blocks, never fails.
     */
    FALLBACK,

    /** Throw {@link BufferPoolExhaustedException}. */
    FAIL
}
