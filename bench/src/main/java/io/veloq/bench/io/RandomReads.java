package io.veloq.bench.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One Java side of the random-read scenarios: {@code workers × depth} readers, each with one 4 KiB
 * read in flight at a time at a uniformly random block-aligned position of the file, counting every
 * completed read in its own {@link ReadCounters} slot until {@link #close()}. With {@code depth}
 * readers per worker, each worker has {@code depth} reads in flight — fio's {@code iodepth}.
 *
 * <p>Lifecycle: {@link #start()} once from the probe's main thread, then {@link #close()} once,
 * which stops every reader, waits for them (bounded), releases the file and the threads, and
 * throws the first failure of any reader. Readers check {@link #stopping()} before each read.
 */
abstract class RandomReads implements AutoCloseable {

    static final int BLOCK = 4096;

    /** The Java variants, Veloq first, in the order the scenarios run them. */
    static final List<String> VARIANTS = List.of("veloq", "filechannel_vt", "async_filechannel");

    /**
     * @param file      the data file, {@code fileBytes} long (a multiple of {@link #BLOCK})
     * @param workers   workers / carrier threads
     * @param depth     reads in flight per worker
     * @param direct    open with O_DIRECT (buffers, positions and lengths are then block-aligned)
     */
    record Setup(Path file, long fileBytes, int workers, int depth, boolean direct) {
        Setup {
            if (workers < 1 || depth < 1 || fileBytes < BLOCK || fileBytes % BLOCK != 0) {
                throw new IllegalArgumentException("bad setup: " + workers + " workers x " + depth + " deep over "
                        + fileBytes + " bytes");
            }
        }

        int readers() {
            return workers * depth;
        }

        long blocks() {
            return fileBytes / BLOCK;
        }
    }

    final Setup setup;
    final ReadCounters counters;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;

    RandomReads(Setup setup, ReadCounters counters) {
        if (counters.readers() != setup.readers()) {
            throw new IllegalArgumentException(counters.readers() + " counters for " + setup.readers() + " readers");
        }
        this.setup = setup;
        this.counters = counters;
    }

    static RandomReads of(String variant, Setup setup, ReadCounters counters) {
        return switch (variant) {
            case "veloq" -> new VeloqRandomReads(setup, counters);
            case "filechannel_vt" -> new FileChannelRandomReads(setup, counters);
            case "async_filechannel" -> new AsyncFileChannelRandomReads(setup, counters);
            default -> throw new IllegalArgumentException("unknown random-read variant '" + variant + "'; known: "
                    + VARIANTS);
        };
    }

    /** Starts every reader; returns once they are all running. */
    abstract void start() throws Exception;

    /** One line for the log: what this side runs on. */
    abstract String describe();

    /** Stops the readers and waits for them; implementations call this first in {@link #close()}. */
    final void requestStop() {
        stopping = true; // volatile: every reader sees it before its next read
    }

    final boolean stopping() {
        return stopping;
    }

    /** Records a reader's failure (the first one wins) and stops the others. */
    final void fail(Throwable t) {
        failure.compareAndSet(null, t);
        requestStop();
    }

    /** The first failure of any reader, or null. */
    final Throwable failure() {
        return failure.get();
    }

    /** Throws the first reader failure, if any, as an IOException naming the side. */
    final void rethrowFailure() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException(getClass().getSimpleName() + ": a reader failed: " + t, t);
        }
    }

    /** A random block-aligned position; each reader has its own generator. */
    final long nextPosition(SplittableRandom random) {
        return random.nextLong(setup.blocks()) * BLOCK;
    }

    /** A read that returned less than a block means the file is shorter than the setup says. */
    final void checkFull(int n, long position) throws IOException {
        if (n != BLOCK) {
            throw new IOException("read of " + BLOCK + " bytes at " + position + " of " + setup.file() + " returned " + n);
        }
    }

    /** Per-reader seeds that differ between readers and between runs of the same reader. */
    static SplittableRandom random(int reader) {
        return new SplittableRandom(System.nanoTime() * 31 + reader);
    }
}
