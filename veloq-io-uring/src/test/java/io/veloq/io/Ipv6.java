package io.veloq.io;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether the machine offers an IPv6 loopback (containers often turn IPv6 off). */
final class Ipv6 {

    private Ipv6() {}

    static boolean loopbackUsable() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
