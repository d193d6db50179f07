package io.veloq.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.Runtime;
import io.veloq.io.file.FileOption;
import io.veloq.io.file.VeloqFile;
import io.veloq.uring.UncaughtReports;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Backend selection: by the worker's driver, overridden by -Dveloq.io.backend, with a reason. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoBackendsTest {

    @TempDir
    Path dir;

    private static <T> T withProperty(String value, java.util.concurrent.Callable<T> body) throws Exception {
        String old = System.getProperty(IoBackends.PROPERTY);
        System.setProperty(IoBackends.PROPERTY, value);
        try {
            return body.call();
        } finally {
            if (old == null) {
                System.clearProperty(IoBackends.PROPERTY);
            } else {
                System.setProperty(IoBackends.PROPERTY, old);
            }
        }
    }

    /** What the runtimes of a test report to their uncaught-exception handler: nothing is expected. */
    private final UncaughtReports reports = new UncaughtReports();

    @AfterEach
    void nothingWasReported() {
        reports.assertOnlyJoinedFailures();
    }

    @Test
    void theWorkersDriverDecides() throws Exception {
        try (Runtime portable = Backend.PORTABLE.newRuntime(1, reports)) {
            String why = portable.blockOn(IoBackends::describeCurrent);
            assertTrue(why.startsWith("portable ("), why);
            assertTrue(why.contains("PortableDriver") || why.contains("unavailable"), why);
        }
        Backend.IO_URING.assume();
        try (Runtime uring = Backend.IO_URING.newRuntime(1, reports)) {
            assertEquals("io_uring", uring.blockOn(IoBackends::describeCurrent));
        }
    }

    @Test
    void thePropertyTurnsIoUringOffOnAnIoUringRuntime() throws Exception {
        Backend.IO_URING.assume();
        Path file = Files.writeString(dir.resolve("p.txt"), "portable");
        try (Runtime uring = Backend.IO_URING.newRuntime(1, reports)) {
            String name = withProperty("portable", () -> uring.blockOn(() -> {
                try (VeloqFile f = VeloqFile.open(file, FileOption.READ)) {
                    ByteBuffer b = ByteBuffer.allocate(8);
                    f.readFullyAt(b, 0);
                    assertEquals("portable", new String(b.array()));
                }
                return IoBackends.current().name();
            }));
            assertEquals("portable", name);
        }
    }

    @Test
    void forcingIoUringWhereThereIsNoneFailsWithTheReason() throws Exception {
        try (Runtime portable = Backend.PORTABLE.newRuntime(1, reports)) {
            IllegalStateException e = withProperty("io_uring",
                    () -> assertThrows(IllegalStateException.class, () -> portable.blockOn(IoBackends::current)));
            assertTrue(e.getMessage().contains("veloq.io.backend=io_uring"), e.getMessage());
            IllegalStateException bad = withProperty("fastest",
                    () -> assertThrows(IllegalStateException.class, () -> portable.blockOn(IoBackends::current)));
            assertTrue(bad.getMessage().contains("fastest"), bad.getMessage());
        }
    }

    @Test
    void requireTaskNamesTheCaller() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> IoBackends.requireTask("reading"));
        assertTrue(e.getMessage().startsWith("reading blocks the calling task"), e.getMessage());
        assertTrue(e.getMessage().contains("not a Veloq thread"), e.getMessage());
    }
}
