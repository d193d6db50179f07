package io.veloq.uring;

/**
 * What a non-negative result of an operation is, so the driver can release it when nobody can
 * take it: the waiter was interrupted, or the driver closed, before the completion arrived.
 */
public enum ResultKind {

    /**
     * A count or status (bytes read or written, 0): delivered even if a cancellation lost the race
     * against the completion, since the transfer happened and cannot be undone.
     */
    PLAIN,

    /**
     * A new file descriptor (OPENAT, ACCEPT, SOCKET): if it arrives after the waiter was
     * interrupted, or while the driver closes, the driver closes it and reports the cancellation.
     */
    FD
}
