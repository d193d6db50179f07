package io.veloq.io.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the socket classes. Stateless. */
final class Addresses {

    private Addresses() {}

    /** A resolved address, or {@link UnresolvedAddressException} as the JDK's channels throw. */
    static InetSocketAddress resolved(InetSocketAddress address, String name) {
        Objects.requireNonNull(address, name);
        if (address.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return address;
    }

    /** A remote address one can connect or send to: resolved, port 1..65535. */
    static InetSocketAddress remote(InetSocketAddress address, String name) {
        resolved(address, name);
        if (address.getPort() == 0) {
            throw new IllegalArgumentException(name + " has port 0, which cannot be connected or sent to: " + address);
        }
        return address;
    }

    static int checkPort(int port, int min) {
        if (port < min || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port + " (must be " + min + "..65535)");
        }
        return port;
    }

    /** Resolves {@code host} (a DNS lookup blocks the worker: prefer literal addresses in hot paths). */
    static InetSocketAddress resolve(String host, int port, int minPort) throws UnknownHostException {
        Objects.requireNonNull(host, "host");
        checkPort(port, minPort);
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** A positive timeout in nanoseconds, saturated at Long.MAX_VALUE - 1 (MAX_VALUE means none). */
    static long timeoutNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        try {
            return Math.min(timeout.toNanos(), Long.MAX_VALUE - 1);
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE - 1;
        }
    }
}
