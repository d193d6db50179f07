package io.veloq.uring;

import java.nio.channels.AsynchronousCloseException;

/**
 * The worker's io_uring driver closed (the runtime shut down) before or while an operation ran.
 * An {@link AsynchronousCloseException}, so code written for the JDK's channels handles it as a
 * channel closed under it.
 */
public final class DriverClosedException extends AsynchronousCloseException {

    private static final long serialVersionUID = 1L;

    private final String message;

    DriverClosedException(String message) {
        this.message = message;
    }

    @Override
    public String getMessage() {
        return message;
    }
}
