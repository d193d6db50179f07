package io.veloq.bench.io;

import com.sun.nio.file.ExtendedOpenOption;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code async_filechannel}: {@link AsynchronousFileChannel} as users get it by default — opened
 * without an executor, so it runs on the JDK's default thread pool for it (on Linux a cached pool
 * whose threads do blocking {@code pread}s). {@code workers × depth} read chains keep that many
 * reads in flight: each completion handler counts the read and issues the chain's next one.
 *
 * <p>Threading: start and close from the probe's main thread; a chain has at most one read in
 * flight, and the pool's hand-off orders each completion after the read it follows, so a chain's
 * buffer, generator and counter slot have one user at a time.
 */
final class AsyncFileChannelRandomReads extends RandomReads {

    private AsynchronousFileChannel channel;
    private CountDownLatch ended;

    AsyncFileChannelRandomReads(Setup setup, ReadCounters counters) {
        super(setup, counters);
    }

    @Override
    void start() throws Exception {
        Set<OpenOption> options = new HashSet<>(Set.of(StandardOpenOption.READ));
        if (setup.direct()) {
            options.add(ExtendedOpenOption.DIRECT);
        }
        channel = AsynchronousFileChannel.open(setup.file(), options, null);
        ended = new CountDownLatch(setup.readers());
        for (int r = 0; r < setup.readers(); r++) {
            new Chain(r).next();
        }
    }

    /** One reader: a read in flight, whose completion issues the next. */
    private final class Chain implements CompletionHandler<Integer, Long> {
        private final int reader;
        private final SplittableRandom random;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).slice(0, BLOCK);

        Chain(int reader) {
            this.reader = reader;
            this.random = random(reader);
        }

        void next() {
            if (stopping()) {
                ended.countDown();
                return;
            }
            long position = nextPosition(random);
            buffer.clear();
            try {
                channel.read(buffer, position, position, this);
            } catch (RuntimeException e) {
                failed(e, position);
            }
        }

        @Override
        public void completed(Integer n, Long position) {
            try {
                checkFull(n, position);
            } catch (Exception e) {
                failed(e, position);
                return;
            }
            counters.increment(reader);
            next();
        }

        @Override
        public void failed(Throwable t, Long position) {
            fail(t);
            ended.countDown();
        }
    }

    @Override
    String describe() {
        return "async_filechannel: " + setup.readers() + " read chains on AsynchronousFileChannel with the default "
                + "thread pool" + (setup.direct() ? ", O_DIRECT" : "");
    }

    @Override
    public void close() throws Exception {
        requestStop();
        try {
            if (ended != null && !ended.await(VeloqIoRuntimes.WAIT_SECONDS, TimeUnit.SECONDS)) {
                fail(new IllegalStateException(ended.getCount() + " read chains did not stop"));
            }
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
        rethrowFailure();
    }
}
