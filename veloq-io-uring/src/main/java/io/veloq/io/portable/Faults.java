package io.veloq.io.portable;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;

/**
 * Adds the address to the JDK's socket exceptions (whose messages name none), keeping their types
 * and the original as cause. Stateless.
 */
final class Faults {

    private Faults() {}

    static BindException withAddress(BindException e, InetSocketAddress local) {
        BindException named = new BindException(e.getMessage() + ": " + local);
        named.initCause(e);
        return named;
    }

    static IOException connectFailure(IOException e, InetSocketAddress remote, long timeoutNanos) {
        IOException named;
        if (e instanceof SocketTimeoutException) {
            named = new SocketTimeoutException("connect to " + remote + " timed out after "
                    + (timeoutNanos / 1_000_000) + " ms");
        } else if (e instanceof ConnectException) {
            named = new ConnectException(e.getMessage() + ": " + remote);
        } else if (e instanceof NoRouteToHostException) {
            named = new NoRouteToHostException(e.getMessage() + ": " + remote);
        } else {
            return e; // ClosedByInterruptException and friends keep their exact type
        }
        named.initCause(e);
        return named;
    }
}
