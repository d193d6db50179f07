package io.veloq.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The process's open descriptors, for leak checks. */
final class Fds {

    private Fds() {}

    /** "fd -> target" for every open descriptor, except class-path jars the JVM opens lazily. */
    static Set<String> open() {
        Set<String> fds = new TreeSet<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            entries.forEach(p -> {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (!target.contains(".jar")) { // "x.jar" or "x.jar (deleted)"
                        fds.add(p.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // the descriptor of the listing itself is gone by now
                }
            });
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        return fds;
    }

    /** Descriptors open now that were not open in {@code before}. */
    static Set<String> leakedSince(Set<String> before) {
        Set<String> now = open();
        now.removeAll(before);
        return now;
    }
}
