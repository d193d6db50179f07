package io.veloq.uring.buffer;

import java.io.IOException;

/** Every registered buffer of the worker is leased and the pool's policy is {@link ExhaustionPolicy#FAIL}. */
public final class BufferPoolExhaustedException extends IOException {

    private static final long serialVersionUID = 1L;

    BufferPoolExhaustedException(String message) {
        super(message);
    }
}
