package io.veloq.bench.io;

import io.veloq.core.Runtime;
import io.veloq.io.file.FileOption;
import io.veloq.io.file.VeloqFile;
import io.veloq.join.JoinHandle;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.buffer.RegisteredBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code veloq}: a runtime of {@code workers} workers on the io_uring driver; {@code depth} tasks per
 * worker ({@code spawnOn}), each leasing one 4 KiB registered buffer of its worker's pool and looping
 * {@link VeloqFile#readAt(RegisteredBuffer, int, int, long)} — one READ_FIXED per read, submitted in
 * batches with the other tasks' reads when the worker polls. One {@link VeloqFile} is shared by all
 * tasks (positional reads have no cursor).
 *
 * <p>Threading: start and close from the probe's main thread (outside the runtime); the tasks
 * touch only their own buffer, generator and counter slot.
 */
final class VeloqRandomReads extends RandomReads {

    private final List<JoinHandle<Void>> readers = new ArrayList<>();
    private Runtime runtime;
    private VeloqFile file;
    private String driver = "not started";

    VeloqRandomReads(Setup setup, ReadCounters counters) {
        super(setup, counters);
    }

    @Override
    void start() throws Exception {
        // One buffer per reader, with room to spare; WAIT, so a miscount parks instead of falling back.
        runtime = VeloqIoRuntimes.start(setup.workers(), VeloqIoRuntimes.pool(BLOCK, Math.max(64, setup.depth() * 2)));
        driver = VeloqIoRuntimes.requireUring(runtime);
        FileOption[] options = setup.direct() ? new FileOption[] {FileOption.READ, FileOption.DIRECT}
                : new FileOption[] {FileOption.READ};
        file = runtime.spawnOn(0, () -> VeloqFile.open(setup.file(), options))
                .get(VeloqIoRuntimes.WAIT_SECONDS, TimeUnit.SECONDS);
        for (int w = 0; w < setup.workers(); w++) {
            for (int d = 0; d < setup.depth(); d++) {
                int reader = w * setup.depth() + d;
                readers.add(runtime.spawnOn(w, () -> readLoop(reader)));
            }
        }
    }

    private void readLoop(int reader) {
        SplittableRandom random = random(reader);
        try (RegisteredBuffer buffer = IoUringDriver.current().bufferPool().lease()) {
            if (!buffer.isRegistered()) {
                throw new IllegalStateException("leased an unregistered buffer: " + buffer);
            }
            while (!stopping()) {
                long position = nextPosition(random);
                checkFull(file.readAt(buffer, 0, BLOCK, position), position);
                counters.increment(reader);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    @Override
    String describe() {
        return "veloq: " + setup.workers() + " workers x " + setup.depth() + " tasks, readAt on 4 KiB registered "
                + "buffers (READ_FIXED)" + (setup.direct() ? ", O_DIRECT" : "") + "; " + driver;
    }

    @Override
    public void close() throws Exception {
        requestStop();
        if (runtime == null) {
            return;
        }
        try {
            for (JoinHandle<Void> reader : readers) {
                try {
                    reader.get(VeloqIoRuntimes.WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    fail(e.getCause());
                }
            }
            if (file != null) {
                file.close();
            }
        } finally {
            VeloqIoRuntimes.stop(runtime);
        }
        rethrowFailure();
    }
}
