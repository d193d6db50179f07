package io.veloq.io.file;

import io.veloq.io.FileIo;
import io.veloq.io.IoBackends;
import io.veloq.uring.buffer.RegisteredBuffer;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An open file, read and written at explicit positions in direct style: each call blocks the
 * calling task (never the worker) until the kernel is done. On the io_uring backend every call is
 * one ring operation of the caller's worker (READ_FIXED / WRITE_FIXED for {@link RegisteredBuffer}s);
 * on the portable backend it is a {@link java.nio.channels.FileChannel} call.
 *
 * <p>Buffers: {@link RegisteredBuffer} (the worker's registered pool, io_uring's fastest path;
 * lease one with {@code IoUringDriver.current().bufferPool().lease()} in the task that uses it),
 * {@link ByteBuffer} (heap or direct; the JDK convention: reads fill {@code [position, limit)} and
 * advance the position), {@code byte[]} ranges and {@link MemorySegment}s. Heap memory goes through
 * a native staging buffer on io_uring. A read returns -1 at end of file; {@code readFully*} forms
 * throw {@link EOFException} instead, {@code writeAll*} forms loop over short writes.
 *
 * <p>Threading contract: blocking methods must be called from a Veloq task ({@link
 * IllegalStateException} elsewhere); any task of the runtime may use the file, several at once
 * (positional I/O has no shared cursor). {@link #close()}, {@link #isOpen()}, {@link #path()} and
 * {@link #options()}: any thread. Closing ends other tasks' operations in flight with {@link
 * java.nio.channels.AsynchronousCloseException}; a second close does nothing. Interrupting a task
 * blocked here cancels its operation and closes the file ({@link
 * java.nio.channels.ClosedByInterruptException}), the JDK's rule for interruptible channels.
 *
 * <p>Bad input fails before any I/O: null buffers ({@link NullPointerException}), negative
 * positions or lengths ({@link IllegalArgumentException}), ranges outside an array or buffer ({@link
 * IndexOutOfBoundsException}), read-only destinations ({@link IllegalArgumentException}), reading a
 * file not opened for reading ({@link NonReadableChannelException}), writing one not opened for
 * writing ({@link NonWritableChannelException}).
 */
public final class VeloqFile implements AutoCloseable {

    private final Path path;
    private final Set<FileOption> options;
    private final FileIo io;

    private VeloqFile(Path path, Set<FileOption> options, FileIo io) {
        this.path = path;
        this.options = options;
        this.io = io;
    }

    /** Opens {@code path}; see {@link FileOption} for the combination rules. Task only. */
    public static VeloqFile open(Path path, FileOption... options) throws IOException {
        Objects.requireNonNull(options, "options");
        EnumSet<FileOption> set = EnumSet.noneOf(FileOption.class);
        for (FileOption option : options) {
            set.add(Objects.requireNonNull(option, "option"));
        }
        return open(path, set);
    }

    /**
     * Opens {@code path}; see {@link FileOption} for the combination rules. Task only.
     *
     * @throws IOException {@link java.nio.file.NoSuchFileException}, {@link java.nio.file.FileAlreadyExistsException},
     *     {@link java.nio.file.AccessDeniedException} naming the path
     * @throws java.io.InterruptedIOException on io_uring if the task is interrupted while the open
     *     is in flight (the descriptor, should it arrive, is closed)
     */
    public static VeloqFile open(Path path, Set<FileOption> options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        Set<FileOption> normalized = FileOption.normalize(options);
        FileIo io = IoBackends.current().openFile(path, normalized);
        return new VeloqFile(path, normalized, io);
    }

    // ---------------------------------------------------------------- reads

    /** Reads into {@code dst} at {@code position}; the count, 0 if {@code dst} is full, -1 at end of file. */
    public int readAt(ByteBuffer dst, long position) throws IOException {
        checkDestination(dst);
        beginRead(position);
        return dst.hasRemaining() ? io.read(dst, position) : 0;
    }

    /** Reads into {@code dst[offset, offset + length)}; the count, or -1 at end of file. */
    public int readAt(byte[] dst, int offset, int length, long position) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(dst, "dst").length);
        return readAt(ByteBuffer.wrap(dst, offset, length), position);
    }

    /** Reads into {@code dst} from its start; the count, or -1 at end of file. */
    public int readAt(MemorySegment dst, long position) throws IOException {
        return readAt(asBuffer(dst, true), position);
    }

    /** Reads into {@code [offset, offset + length)} of a registered buffer; the count, or -1 at end of file. */
    public int readAt(RegisteredBuffer buffer, int offset, int length, long position) throws IOException {
        checkRange(buffer, offset, length);
        beginRead(position);
        return length == 0 ? 0 : io.read(buffer, offset, length, position);
    }

    /** Fills {@code dst} completely from {@code position}, or throws {@link EOFException}. */
    public void readFullyAt(ByteBuffer dst, long position) throws IOException {
        checkDestination(dst);
        beginRead(position);
        long at = position;
        while (dst.hasRemaining()) {
            int n = io.read(dst, at);
            if (n < 0) {
                throw eof(at, dst.remaining());
            }
            at += n;
        }
    }

    public void readFullyAt(byte[] dst, int offset, int length, long position) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(dst, "dst").length);
        readFullyAt(ByteBuffer.wrap(dst, offset, length), position);
    }

    public void readFullyAt(MemorySegment dst, long position) throws IOException {
        readFullyAt(asBuffer(dst, true), position);
    }

    public void readFullyAt(RegisteredBuffer buffer, int offset, int length, long position) throws IOException {
        checkRange(buffer, offset, length);
        beginRead(position);
        int done = 0;
        while (done < length) {
            int n = io.read(buffer, offset + done, length - done, position + done);
            if (n < 0) {
                throw eof(position + done, length - done);
            }
            done += n;
        }
    }

    // ---------------------------------------------------------------- writes

    /** Writes from {@code src} at {@code position}; the count (possibly short). */
    public int writeAt(ByteBuffer src, long position) throws IOException {
        Objects.requireNonNull(src, "src");
        beginWrite(position);
        return src.hasRemaining() ? io.write(src, position) : 0;
    }

    public int writeAt(byte[] src, int offset, int length, long position) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(src, "src").length);
        return writeAt(ByteBuffer.wrap(src, offset, length), position);
    }

    public int writeAt(MemorySegment src, long position) throws IOException {
        return writeAt(asBuffer(src, false), position);
    }

    public int writeAt(RegisteredBuffer buffer, int offset, int length, long position) throws IOException {
        checkRange(buffer, offset, length);
        beginWrite(position);
        return length == 0 ? 0 : io.write(buffer, offset, length, position);
    }

    /** Writes all of {@code src} from {@code position}, looping over short writes. */
    public void writeAllAt(ByteBuffer src, long position) throws IOException {
        Objects.requireNonNull(src, "src");
        beginWrite(position);
        long at = position;
        while (src.hasRemaining()) {
            at += io.write(src, at);
        }
    }

    public void writeAllAt(byte[] src, int offset, int length, long position) throws IOException {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(src, "src").length);
        writeAllAt(ByteBuffer.wrap(src, offset, length), position);
    }

    public void writeAllAt(MemorySegment src, long position) throws IOException {
        writeAllAt(asBuffer(src, false), position);
    }

    public void writeAllAt(RegisteredBuffer buffer, int offset, int length, long position) throws IOException {
        checkRange(buffer, offset, length);
        beginWrite(position);
        int done = 0;
        while (done < length) {
            done += io.write(buffer, offset + done, length - done, position + done);
        }
    }

    /** Appends from {@code src} (file opened with {@link FileOption#APPEND}); the count (possibly short). */
    public int append(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        beginAppend();
        return src.hasRemaining() ? io.write(src, -1) : 0;
    }

    /** Appends all of {@code src} (file opened with {@link FileOption#APPEND}). */
    public void appendAll(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "src");
        beginAppend();
        while (src.hasRemaining()) {
            io.write(src, -1);
        }
    }

    // ---------------------------------------------------------------- the rest

    /** Flushes data and metadata to stable storage (fsync). */
    public void sync() throws IOException {
        IoBackends.requireTask("sync");
        io.sync(false);
    }

    /** Flushes data, and the metadata needed to read it back, to stable storage (fdatasync). */
    public void syncData() throws IOException {
        IoBackends.requireTask("syncData");
        io.sync(true);
    }

    /**
     * Reserves disk space for {@code [position, position + length)}, growing the file if it ends
     * before (fallocate, mode 0). The portable backend, which has no fallocate, writes zeros past
     * the current end instead.
     */
    public void allocate(long position, long length) throws IOException {
        checkPosition(position);
        if (length <= 0) {
            throw new IllegalArgumentException("length must be > 0, got " + length);
        }
        if (position + length < 0) {
            throw new IllegalArgumentException("position + length overflows: " + position + " + " + length);
        }
        IoBackends.requireTask("allocate");
        checkWritable();
        io.allocate(position, length);
    }

    /** The file's current size in bytes. */
    public long size() throws IOException {
        IoBackends.requireTask("size");
        return io.size();
    }

    /** The file's metadata (of the open file on io_uring; of its path on the portable backend). */
    public FileMetadata metadata() throws IOException {
        IoBackends.requireTask("metadata");
        return io.metadata();
    }

    public Path path() {
        return path;
    }

    /** The options in effect, after the combination rules. */
    public Set<FileOption> options() {
        return options;
    }

    public boolean isOpen() {
        return io.isOpen();
    }

    /** Closes the file; any thread; a second call does nothing. */
    @Override
    public void close() throws IOException {
        io.close();
    }

    @Override
    public String toString() {
        return "VeloqFile[" + path + ", " + options + (isOpen() ? "" : ", closed") + "]";
    }

    // ---------------------------------------------------------------- checks

    private void beginRead(long position) {
        checkPosition(position);
        IoBackends.requireTask("read");
        if (!options.contains(FileOption.READ)) {
            throw new NonReadableChannelException();
        }
    }

    private void beginWrite(long position) {
        checkPosition(position);
        IoBackends.requireTask("write");
        checkWritable();
        if (options.contains(FileOption.APPEND)) {
            throw new IllegalStateException(path + " was opened with APPEND: every write goes to the end, use append()");
        }
    }

    private void beginAppend() {
        IoBackends.requireTask("append");
        if (!options.contains(FileOption.APPEND)) {
            throw new IllegalStateException("append() needs a file opened with FileOption.APPEND; " + path
                    + " was opened with " + options + ": use writeAt");
        }
    }

    private void checkWritable() {
        if (!options.contains(FileOption.WRITE) && !options.contains(FileOption.APPEND)) {
            throw new NonWritableChannelException();
        }
    }

    private static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
    }

    private static void checkDestination(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
    }

    private static void checkRange(RegisteredBuffer buffer, int offset, int length) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(offset, length, buffer.capacity());
    }

    /** A segment as a buffer over all of it (heap or native). */
    static ByteBuffer asBuffer(MemorySegment segment, boolean destination) {
        Objects.requireNonNull(segment, destination ? "dst" : "src");
        if (destination && segment.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only segment");
        }
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a segment of " + segment.byteSize()
                    + " bytes is larger than one operation can transfer (2 GiB - 1): pass slices");
        }
        return segment.asByteBuffer();
    }

    private EOFException eof(long position, int missing) {
        return new EOFException(path + ": end of file at position " + position + ", " + missing + " bytes short");
    }
}
