package io.veloq.io.portable;

import io.veloq.io.FileIo;
import io.veloq.io.file.FileMetadata;
import io.veloq.uring.buffer.RegisteredBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A {@link FileIo} over a {@link FileChannel}. Threading: as the channel (any thread, concurrent
 * positional I/O allowed); the JDK closes the channel when a blocked caller is interrupted.
 */
final class PortableFile implements FileIo {

    /** Zeros written past the end by {@link #allocate}, a chunk at a time. */
    private static final int ZERO_CHUNK = 64 * 1024;

    private final Path path;
    private final FileChannel channel;

    PortableFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return channel.read(dst, position);
    }

    @Override
    public int read(RegisteredBuffer buffer, int offset, int length, long position) throws IOException {
        return channel.read(buffer.segment().asSlice(offset, length).asByteBuffer(), position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return position < 0 ? channel.write(src) : channel.write(src, position);
    }

    @Override
    public int write(RegisteredBuffer buffer, int offset, int length, long position) throws IOException {
        return write(buffer.segment().asSlice(offset, length).asByteBuffer(), position);
    }

    @Override
    public void sync(boolean dataOnly) throws IOException {
        channel.force(!dataOnly);
    }

    /** The JDK has no fallocate: the range past the current end is written with zeros. */
    @Override
    public void allocate(long position, long length) throws IOException {
        long end = position + length;
        long at = channel.size();
        if (at >= end) {
            return;
        }
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, end - at));
        while (at < end) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), end - at));
            while (zeros.hasRemaining()) {
                at += channel.write(zeros, at);
            }
        }
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public FileMetadata metadata() throws IOException {
        if (!channel.isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
        return PortableMetadata.read(path, true);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
