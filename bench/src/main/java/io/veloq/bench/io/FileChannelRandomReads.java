package io.veloq.bench.io;

import com.sun.nio.file.ExtendedOpenOption;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code filechannel_vt}: {@link FileChannel} positional reads ({@code read(ByteBuffer, long)}) on
 * the JDK's default virtual-thread scheduler — {@code workers × depth} virtual threads, so the same
 * number of reads in flight as the other sides — each with its own direct buffer (the JDK's fast
 * path: a heap buffer would be copied through a temporary direct one), aligned to 4 KiB for O_DIRECT.
 * One channel is shared by all threads. The scheduler's parallelism is the JDK default, the number
 * of processors = N.
 *
 * <p>Threading: start and close from the probe's main thread; each virtual thread touches only its
 * own buffer, generator and counter slot.
 */
final class FileChannelRandomReads extends RandomReads {

    private final List<Thread> readers = new ArrayList<>();
    private FileChannel channel;

    FileChannelRandomReads(Setup setup, ReadCounters counters) {
        super(setup, counters);
    }

    @Override
    void start() throws Exception {
        OpenOption[] options = setup.direct() ? new OpenOption[] {StandardOpenOption.READ, ExtendedOpenOption.DIRECT}
                : new OpenOption[] {StandardOpenOption.READ};
        channel = FileChannel.open(setup.file(), options);
        for (int r = 0; r < setup.readers(); r++) {
            int reader = r;
            readers.add(Thread.ofVirtual().name("filechannel-reader-" + r).start(() -> readLoop(reader)));
        }
    }

    private void readLoop(int reader) {
        SplittableRandom random = random(reader);
        ByteBuffer buffer = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).slice(0, BLOCK);
        try {
            while (!stopping()) {
                long position = nextPosition(random);
                buffer.clear();
                checkFull(channel.read(buffer, position), position);
                counters.increment(reader);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    @Override
    String describe() {
        return "filechannel_vt: " + setup.readers() + " virtual threads on the default scheduler, FileChannel.read"
                + "(direct ByteBuffer, position)" + (setup.direct() ? ", O_DIRECT" : "");
    }

    @Override
    public void close() throws Exception {
        requestStop();
        try {
            for (Thread reader : readers) {
                if (!reader.join(Duration.ofSeconds(VeloqIoRuntimes.WAIT_SECONDS))) {
                    fail(new IllegalStateException(reader + " did not stop"));
                }
            }
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
        rethrowFailure();
    }
}
