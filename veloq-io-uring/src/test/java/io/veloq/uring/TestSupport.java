package io.veloq.uring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Helpers shared by the io_uring tests: descriptor counting and the availability assumption. */
public final class TestSupport {

    private TestSupport() {}

    /** Skips the calling test, with the reason, when io_uring cannot be used on this machine. */
    public static void assumeIoUring() {
        org.junit.jupiter.api.Assumptions.assumeTrue(IoUring.isAvailable(),
                () -> "io_uring unavailable: " + IoUring.unavailabilityReason().orElse("?"));
    }

    /**
     * The open descriptors of this process, as "fd -> target" lines (for readable diffs), without
     * the one that lists the directory.
     */
    public static Set<String> openFds() {
        Set<String> fds = new TreeSet<>();
        String listing = "/proc/" + ProcessHandle.current().pid() + "/fd";
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            entries.forEach(p -> {
                try {
                    Path target = Files.readSymbolicLink(p);
                    if (!target.toString().equals(listing)) {
                        fds.add(p.getFileName() + " -> " + target);
                    }
                } catch (IOException e) {
                    // the descriptor listing the directory itself is gone by now
                }
            });
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        return fds;
    }

    /** Lines of /proc/self/maps that map io_uring memory (rings, SQE arrays). */
    public static long ringMappings() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.contains("io_uring")).count();
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/self/maps", e);
        }
    }

    /** The descriptors that point at io_uring instances (anon_inode:[io_uring]). */
    public static long ringFds() {
        return openFds().stream().filter(s -> s.contains("io_uring")).count();
    }
}
