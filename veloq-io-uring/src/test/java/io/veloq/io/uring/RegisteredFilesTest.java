package io.veloq.io.uring;

import static io.veloq.io.uring.StreamPattern.peerWrites;
import static io.veloq.io.uring.StreamPattern.readsPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.io.file.FileOption;
import io.veloq.io.file.VeloqFile;
import io.veloq.uring.IoUringConfig;
import io.veloq.uring.IoUringDriver;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registered files ({@link IoUringConfig#withRegisteredFiles}): a descriptor is registered on the
 * worker of its first operation and named by index there; its entry is emptied on that worker
 * when it is released, wherever the close came from — which the peer sees as the end of the
 * stream (an entry left behind would hold the socket open with no descriptor to show for it, so
 * /proc/self/fd cannot catch it). Checked: the driver's count of entries in use, the bytes, the
 * peer's end of stream, and the fixture's descriptor and buffer leak checks
 * ({@link ReceiveInboxFixture}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegisteredFilesTest extends ReceiveInboxFixture {

    @TempDir
    Path dir;

    @Test
    void theTableIsOnByDefaultAndItsSizeIsValidated() {
        assertEquals(4096, IoUringConfig.defaults().registeredFiles());
        assertEquals(0, IoUringConfig.defaults().withRegisteredFiles(0).registeredFiles());
        assertThrows(IllegalArgumentException.class, () -> IoUringConfig.defaults().withRegisteredFiles(-1));
        assertThrows(IllegalArgumentException.class, () -> IoUringConfig.defaults().withRegisteredFiles((1 << 20) + 1));
        String description = runtime.spawnOn(0, () -> IoUringDriver.current().description()).join();
        assertTrue(description.contains("registered files 4096"), description);
    }

    @Test
    void aTableLargerThanRlimitNofileIsHalvedUntilItFits() throws Exception {
        long limit = openFilesSoftLimit();
        int asked = 1 << 20;
        int expected = asked;
        while (expected > limit) {
            expected /= 2; // the kernel refuses a table larger than RLIMIT_NOFILE with EMFILE
        }
        restart(ARMED.withRegisteredFiles(asked));
        String description = runtime.spawnOn(0, () -> IoUringDriver.current().description()).join();
        String part = expected == asked ? "registered files " + asked + ","
                : "registered files " + expected + " (of " + asked + " asked: RLIMIT_NOFILE)";
        assertTrue(description.contains(part), "RLIMIT_NOFILE " + limit + ": " + description);
        Pair p = connect(0);
        echoOnce(p, 0, 0);
        assertEquals(List.of(1, 0), entriesInUse());
        closeAndCheck(p, false);
        awaitEntriesInUse(List.of(0, 0));
    }

    @Test
    void aStreamIsRegisteredOnTheWorkerOfItsFirstOperationAndClosedFromAnywhere() throws Exception {
        // Connected on worker 0 (CONNECT is its first operation), served from both workers.
        Pair p = connect(0);
        assertEquals(List.of(1, 0), entriesInUse());
        echoOnce(p, 0, 0);
        echoOnce(p, 1, 100); // by number on worker 1
        assertEquals(List.of(1, 0), entriesInUse(), "worker 1 uses the descriptor by number");
        p.stream().close(); // from the JUnit thread: the entry is emptied by a task sent to worker 0
        peerSeesClose(p.peer(), false);
        awaitEntriesInUse(List.of(0, 0));
        p.peer().close();
    }

    @Test
    void aCloseFromAnotherWorkerEmptiesTheEntryOnItsOwn() throws Exception {
        Pair p = connect(1);
        echoOnce(p, 1, 0);
        assertEquals(List.of(0, 1), entriesInUse());
        runtime.spawnOn(0, () -> {
            p.stream().close();
            return null;
        }).join();
        peerSeesClose(p.peer(), false);
        awaitEntriesInUse(List.of(0, 0));
        p.peer().close();
    }

    @Test
    void aCloseWhileAReadWaitsOnTheRegisteredFileCancelsItAndClosesTheSocket() throws Exception {
        for (IoUringConfig config : List.of(IoUringConfig.defaults(), ARMED)) {
            restart(config);
            Pair p = connect(0);
            Started<Integer> reader = startOn(0, () -> p.stream().read(new byte[64], 0, 64));
            awaitBlocker(reader.thread());
            p.stream().close();
            assertInstanceOf(AsynchronousCloseException.class, failureOf(reader.handle()), config.toString());
            peerSeesClose(p.peer(), false);
            awaitEntriesInUse(List.of(0, 0));
            p.peer().close();
        }
    }

    @Test
    void aFullTableLeavesTheRestToTheirNumbers() throws Exception {
        restart(ARMED.withRegisteredFiles(2));
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pairs.add(connect(0));
        }
        assertEquals(List.of(2, 0), entriesInUse(), "two entries, two streams by number");
        for (Pair p : pairs) {
            echoOnce(p, 0, 0);
            echoOnce(p, 1, 100);
        }
        for (Pair p : pairs) {
            closeAndCheck(p, false);
        }
        awaitEntriesInUse(List.of(0, 0));
        // The entries are free again: the next stream takes one.
        Pair again = connect(0);
        assertEquals(List.of(1, 0), entriesInUse());
        closeAndCheck(again, false);
        awaitEntriesInUse(List.of(0, 0));
    }

    @Test
    void withTheTableOffEveryDescriptorGoesByNumber() throws Exception {
        restart(ARMED.withRegisteredFiles(0));
        String description = runtime.spawnOn(0, () -> IoUringDriver.current().description()).join();
        assertTrue(description.contains("registered files off"), description);
        Pair p = connect(0);
        echoOnce(p, 0, 0);
        assertEquals(List.of(0, 0), entriesInUse());
        closeAndCheck(p, false);
    }

    @Test
    void aFileIsRegisteredLikeASocket() throws Exception {
        Path path = dir.resolve("registered.txt");
        byte[] text = "registered by its first write".getBytes(StandardCharsets.US_ASCII);
        VeloqFile file = runtime.spawnOn(1, () -> {
            VeloqFile f = VeloqFile.open(path, FileOption.READ, FileOption.WRITE, FileOption.CREATE);
            f.writeAt(text, 0, text.length, 0);
            f.sync();
            return f;
        }).join();
        assertEquals(List.of(0, 1), entriesInUse());
        byte[] back = runtime.spawnOn(0, () -> {
            byte[] b = new byte[text.length];
            file.readAt(b, 0, b.length, 0); // by number on worker 0
            return b;
        }).join();
        assertEquals(Arrays.toString(text), Arrays.toString(back));
        file.close();
        awaitEntriesInUse(List.of(0, 0));
        assertEquals(Arrays.toString(text), Arrays.toString(Files.readAllBytes(path)));
    }

    @Test
    void onlyTheWorkerItselfMayRegister() {
        IoUringDriver driver = runtime.spawnOn(0, IoUringDriver::current).join();
        assertThrows(WrongThreadException.class, () -> driver.registerFile(0));
        assertThrows(WrongThreadException.class, () -> driver.unregisterFile(0));
        assertInstanceOf(WrongThreadException.class, failureOf(runtime.spawnOn(1, () -> driver.registerFile(0))),
                "a task of another worker");
    }

    // ---------------------------------------------------------------- helpers

    /** The peer sends 100 pattern bytes at {@code from}; a task of {@code worker} reads them and sends them back. */
    private void echoOnce(Pair p, int worker, long from) throws Exception {
        peerWrites(p.peer(), from, 100, 100, from);
        runtime.spawnOn(worker, () -> {
            readsPattern(p.stream(), from, 100, 100, from);
            p.stream().writeAll(new byte[] {(byte) worker});
            return null;
        }).join();
        assertEquals(worker, p.peer().getInputStream().read());
    }

    private List<Integer> entriesInUse() {
        List<Integer> counts = new ArrayList<>();
        for (int w = 0; w < runtime.workerCount(); w++) {
            counts.add(runtime.spawnOn(w, () -> IoUringDriver.current().stats().registeredFiles()).join());
        }
        return counts;
    }

    /** Entries are emptied by a task sent to their worker when released elsewhere: wait for it (bounded). */
    private void awaitEntriesInUse(List<Integer> expected) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD_NANOS;
        List<Integer> now;
        while (!(now = entriesInUse()).equals(expected)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("registered-file entries in use: " + now + ", expected " + expected);
            }
            Thread.sleep(1);
        }
    }

    /** The soft RLIMIT_NOFILE of this process, from /proc/self/limits ("Max open files"). */
    private static long openFilesSoftLimit() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new AssertionError("no 'Max open files' line in /proc/self/limits");
    }
}
