package io.veloq.bench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFileTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void theFileHasTheSizeAndNoTwoMebibytesAlike() throws Exception {
        DataFile data = new DataFile(dir.resolve("data"), 3L * MIB);
        Path file = data.ensure();
        assertEquals(dir.resolve("data").resolve("randread-3m.dat"), file);
        assertEquals(3L * MIB, Files.size(file));
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer first = ByteBuffer.allocate(MIB);
            ByteBuffer second = ByteBuffer.allocate(MIB);
            in.read(first, 0);
            in.read(second, MIB);
            assertNotEquals(first.flip(), second.flip());
            assertNotEquals(0L, first.getLong(8), "pseudo-random content, not zeros");
        }
        data.warmPageCache();
        long written = Files.getLastModifiedTime(file).toMillis();
        assertEquals(file, data.ensure(), "a second call reuses the file");
        assertEquals(written, Files.getLastModifiedTime(file).toMillis());
    }

    @Test
    void aFileOfAnotherSizeIsRewritten() throws Exception {
        DataFile data = new DataFile(dir, MIB);
        Files.write(data.path(), new byte[100]);
        assertEquals(MIB, Files.size(data.ensure()));
    }

    @Test
    void oDirectIsRefusedWithAReasonWhereNoFileCanBeMade() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Optional<String> refusal = new DataFile(notADirectory.resolve("sub"), MIB).directRefusal();
        assertTrue(refusal.isPresent());
        assertTrue(refusal.get().contains("O_DIRECT refused"), refusal.get());
    }

    @Test
    void theDirectProbeLeavesNoTraceAndNeverRemovesADirectoryItFound() throws Exception {
        Path made = dir.resolve("made-by-probe");
        new DataFile(made, MIB).directRefusal();
        assertTrue(Files.notExists(made), "the probe's own directory is removed again");
        Path found = Files.createDirectory(dir.resolve("found"));
        new DataFile(found, MIB).directRefusal();
        assertTrue(Files.isDirectory(found));
        try (var entries = Files.list(found)) {
            assertEquals(0, entries.count(), "the probe file is deleted");
        }
    }

    @Test
    void sizesAreWholeMebibytes() {
        assertThrows(IllegalArgumentException.class, () -> new DataFile(dir, MIB + 4096));
        assertThrows(IllegalArgumentException.class, () -> new DataFile(dir, 0));
    }
}
