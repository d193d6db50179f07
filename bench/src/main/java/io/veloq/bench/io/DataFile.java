package io.veloq.bench.io;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The file the random-read scenarios read: {@code <dir>/randread-<MiB>m.dat}, created on first use
 * by the runner and deleted when the runner's JVM exits (a shutdown hook; a file left by a killed
 * run has the same name and is reused, then deleted), with the directory if this run made it — a
 * directory that was there before is never removed.
 *
 * <p>The directory is {@code -D}{@value #DIR_PROPERTY} (default {@value #DEFAULT_DIR}: a real file
 * system on most machines, where tmpfs or overlay under {@code /tmp} may refuse O_DIRECT); the size
 * {@code -D}{@value #SIZE_PROPERTY} MiB (default 1024, in both modes). The content is pseudo-random
 * (no holes: a hole would be read without touching the page cache), written and flushed with
 * {@code fsync} once, so O_DIRECT reads never wait for write-back.
 *
 * <p>Threading: the runner's main thread, and the shutdown hook at exit; the methods are
 * synchronized so the hook sees the main thread's state.
 */
final class DataFile {

    static final String DIR_PROPERTY = "veloq.bench.io.dir";
    static final String SIZE_PROPERTY = "veloq.bench.io.fileMiB";
    static final String DEFAULT_DIR = "/var/tmp/veloq-bench-io";
    static final long DEFAULT_MIB = 1024;

    private static final int CHUNK = 1 << 20;

    private final Path dir;
    private final long bytes;
    private Path created;
    private boolean deleteHooked;
    /** Whether this object made the directory (and so may remove it again); never a directory it found. */
    private boolean madeDir;
    private Optional<String> directRefusal;

    DataFile(Path dir, long bytes) {
        if (bytes < CHUNK || bytes % CHUNK != 0) {
            throw new IllegalArgumentException("the data file must be a whole number of MiB, got " + bytes + " bytes");
        }
        this.dir = dir;
        this.bytes = bytes;
    }

    /** The directory and size the system properties ask for. */
    static DataFile fromProperties() {
        long mib = Long.getLong(SIZE_PROPERTY, DEFAULT_MIB);
        return new DataFile(Path.of(System.getProperty(DIR_PROPERTY, DEFAULT_DIR)), mib * CHUNK);
    }

    long bytes() {
        return bytes;
    }

    Path path() {
        return dir.resolve("randread-" + bytes / CHUNK + "m.dat");
    }

    /** The file, written now if it is missing or has another size. */
    synchronized Path ensure() throws IOException {
        Path file = path();
        if (created != null) {
            return created;
        }
        makeDir();
        if (!deleteHooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::delete, "delete-" + file.getFileName()));
            deleteHooked = true;
        }
        if (!Files.isRegularFile(file) || Files.size(file) != bytes) {
            write(file);
        }
        created = file;
        return file;
    }

    private void write(Path file) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        SplittableRandom random = new SplittableRandom(42);
        while (chunk.hasRemaining()) {
            chunk.putLong(random.nextLong());
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long at = 0; at < bytes; at += CHUNK) {
                chunk.putLong(0, at); // every MiB differs from the others
                chunk.clear();
                while (chunk.hasRemaining()) {
                    out.write(chunk, at + chunk.position());
                }
            }
            out.force(true);
        }
    }

    /**
     * Reads the whole file once, so that its pages are in the page cache before a buffered run (a
     * previous O_DIRECT or fio run, or memory pressure from other processes, may have evicted some).
     */
    synchronized void warmPageCache() throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
        try (FileChannel in = FileChannel.open(ensure(), StandardOpenOption.READ)) {
            long at = 0;
            int n;
            while ((n = in.read(chunk.clear(), at)) > 0) {
                at += n;
            }
        }
    }

    /**
     * Why O_DIRECT cannot be used in the data directory, or empty when it can: a 4 KiB probe file
     * is written, read back with O_DIRECT into an aligned buffer, and deleted. Checked once.
     */
    synchronized Optional<String> directRefusal() {
        if (directRefusal == null) {
            directRefusal = probeDirect();
        }
        return directRefusal;
    }

    private Optional<String> probeDirect() {
        Path probe = dir.resolve("odirect-probe.tmp");
        try {
            makeDir();
            Files.write(probe, new byte[RandomReads.BLOCK]);
            ByteBuffer aligned = ByteBuffer.allocateDirect(2 * RandomReads.BLOCK).alignedSlice(RandomReads.BLOCK)
                    .slice(0, RandomReads.BLOCK);
            try (FileChannel in = FileChannel.open(probe, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)) {
                in.read(aligned, 0);
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("O_DIRECT refused in " + dir + " (" + fileSystemType() + "): " + e);
        } finally {
            try {
                Files.deleteIfExists(probe);
                if (created == null && madeDir) {
                    Files.deleteIfExists(dir); // made just for the probe; ensure() makes it again when needed
                    madeDir = false;
                }
            } catch (DirectoryNotEmptyException e) {
                // other files live there: keep the directory
            } catch (IOException e) {
                // the probe is 4 KiB in the bench's own directory; leaving it is harmless
            }
        }
    }

    /** The file system type of the data directory (or of its nearest existing parent), e.g. {@code ext4}. */
    String fileSystemType() {
        try {
            Path existing = dir.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return existing == null ? "file system unknown" : Files.getFileStore(existing).type();
        } catch (IOException e) {
            return "file system unknown: " + e.getMessage();
        }
    }

    private void makeDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            madeDir = true;
        }
    }

    private synchronized void delete() {
        try {
            Files.deleteIfExists(path());
            if (madeDir) {
                Files.deleteIfExists(dir);
            }
        } catch (DirectoryNotEmptyException e) {
            // someone else's files are in there: keep the directory
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the io suite's data file " + path(), e);
        }
    }
}
