package io.veloq.io.net;

/**
 * How a {@link TcpListener} listens. Immutable; start from {@link #defaults()}.
 *
 * @param backlog the accept queue length passed to listen(2), 1..65535 (the kernel caps it at
 *     {@code net.core.somaxconn})
 * @param reusePort SO_REUSEPORT: several listeners (typically one per worker) may bind the same
 *     address and port, and the kernel spreads incoming connections over them
 */
public record ListenOptions(int backlog, boolean reusePort) {

    public ListenOptions {
        if (backlog < 1 || backlog > 65535) {
            throw new IllegalArgumentException("backlog must be between 1 and 65535, got " + backlog);
        }
    }

    /** Backlog 1024, no SO_REUSEPORT. Listeners always set SO_REUSEADDR, as the JDK's do. */
    public static ListenOptions defaults() {
        return new ListenOptions(1024, false);
    }

    public ListenOptions withBacklog(int n) {
        return new ListenOptions(n, reusePort);
    }

    public ListenOptions withReusePort(boolean on) {
        return new ListenOptions(backlog, on);
    }
}
