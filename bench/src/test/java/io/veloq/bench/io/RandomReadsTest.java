package io.veloq.bench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.veloq.uring.IoUring;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each Java side of the random-read scenarios reads, counts and stops; functional only, no timing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RandomReadsTest {

    private static final long FILE_BYTES = 2L << 20;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"veloq", "filechannel_vt", "async_filechannel"})
    void everySideCompletesReadsAndStopsCleanly(String variant) throws Exception {
        assumeUringFor(variant);
        Path file = new DataFile(dir, FILE_BYTES).ensure();
        RandomReads.Setup setup = new RandomReads.Setup(file, FILE_BYTES, 2, 4, false);
        RandomReads reads = RandomReads.of(variant, setup, new ReadCounters(setup.readers()));
        double perSecond = FileReadProbe.measure(reads, Duration.ofMillis(50), Duration.ofMillis(200));
        assertTrue(perSecond > 0, variant + " measured " + perSecond);
        assertTrue(reads.describe().startsWith(variant), reads.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"veloq", "filechannel_vt", "async_filechannel"})
    void everySideReadsWithODirectWhereTheFileSystemAllowsIt(String variant) throws Exception {
        assumeUringFor(variant);
        DataFile data = new DataFile(dir, FILE_BYTES);
        assumeTrue(data.directRefusal().isEmpty(), () -> data.directRefusal().orElseThrow());
        RandomReads.Setup setup = new RandomReads.Setup(data.ensure(), FILE_BYTES, 1, 2, true);
        RandomReads reads = RandomReads.of(variant, setup, new ReadCounters(setup.readers()));
        assertTrue(FileReadProbe.measure(reads, Duration.ZERO, Duration.ofMillis(200)) > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"veloq", "filechannel_vt", "async_filechannel"})
    void aShortReadFailsTheSideInsteadOfCounting(String variant) throws Exception {
        assumeUringFor(variant);
        Path file = new DataFile(dir, 1L << 20).ensure();
        // The setup claims a file 64 times larger: most positions lie past its end.
        RandomReads.Setup setup = new RandomReads.Setup(file, 64L << 20, 1, 2, false);
        RandomReads reads = RandomReads.of(variant, setup, new ReadCounters(setup.readers()));
        IOException e = assertThrows(IOException.class,
                () -> FileReadProbe.measure(reads, Duration.ofSeconds(30), Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("a reader failed"), e.getMessage());
    }

    @Test
    void unknownVariantsAndBadSetupsAreRefused() {
        RandomReads.Setup setup = new RandomReads.Setup(dir.resolve("f"), 4096, 1, 1, false);
        assertThrows(IllegalArgumentException.class, () -> RandomReads.of("mmap", setup, new ReadCounters(1)));
        assertThrows(IllegalArgumentException.class, () -> RandomReads.of("veloq", setup, new ReadCounters(2)));
        assertThrows(IllegalArgumentException.class, () -> new RandomReads.Setup(dir, 4095, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new RandomReads.Setup(dir, 4096, 0, 1, false));
        assertEquals(8, new RandomReads.Setup(dir, 4096, 2, 4, false).readers());
    }

    static void assumeUringFor(String variant) {
        if (variant.equals("veloq")) {
            assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityReason().orElse("?"));
        }
    }
}
