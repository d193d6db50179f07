package io.veloq.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.Runtime;
import io.veloq.join.JoinHandle;
import io.veloq.join.TaskFailedException;
import io.veloq.uring.UncaughtReports;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture every contract suite shares: a fresh two-worker runtime of one {@link Backend} per
 * test, closed after it, and two checks after each test: no descriptor was left open (rings,
 * eventfds, sockets and files included, since the runtime is closed before the check), and the
 * runtime reported no failure the test did not itself take from a task's handle
 * ({@link UncaughtReports}; tests take failures with {@link #failureOf}).
 */
abstract class IoContract {

    final Backend backend;
    Runtime runtime;
    UncaughtReports reports;
    private Set<String> fdsBefore;

    IoContract(Backend backend) {
        this.backend = backend;
    }

    /** Opens the JDK's lazily created poller descriptors once, so they do not count as leaks. */
    @BeforeAll
    static void warmUpJdkPollers() throws Exception {
        Thread t = Thread.ofVirtual().start(() -> {
            try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                 SocketChannel client = SocketChannel.open(server.getLocalAddress());
                 SocketChannel accepted = server.accept()) {
                client.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
                accepted.read(java.nio.ByteBuffer.allocate(1));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.join();
    }

    @BeforeEach
    void startRuntime() {
        backend.assume();
        fdsBefore = Fds.open();
        reports = new UncaughtReports();
        runtime = backend.newRuntime(2, reports);
    }

    @AfterEach
    void closeRuntimeAndCheckDescriptors() throws Exception {
        if (runtime == null) {
            return;
        }
        if (!runtime.isShutdown()) {
            backend.assertQuiescent(runtime);
        }
        runtime.shutdown();
        if (!runtime.awaitTermination(10, TimeUnit.SECONDS)) {
            String dump = runtime.dumpTasks();
            runtime.shutdownNow();
            runtime.awaitTermination(10, TimeUnit.SECONDS);
            throw new AssertionError("tasks still running 10 s after the test:\n" + dump);
        }
        Set<String> leaked = Fds.leakedSince(fdsBefore);
        assertTrue(leaked.isEmpty(), () -> "descriptors leaked: " + leaked);
        reports.assertOnlyJoinedFailures();
    }

    /**
     * The exception a failed task ended with, taken from its handle. If the task failed before
     * this join, the runtime also reported it to the handler; that report is then expected.
     */
    Throwable failureOf(JoinHandle<?> handle) {
        Throwable failure = assertThrows(TaskFailedException.class, handle::join).getCause();
        reports.joined(failure);
        return failure;
    }

    /** Runs {@code body} as a task and returns its value (its exception unchanged). */
    <T> T call(Callable<T> body) throws Exception {
        return runtime.blockOn(body);
    }

    /** Runs {@code body} as a task, checking first that the expected backend serves it. */
    void inTask(TaskBody body) throws Exception {
        runtime.blockOn(() -> {
            assertEquals(backend.backendName, IoBackends.current().name());
            body.run();
            return null;
        });
    }

    @FunctionalInterface
    interface TaskBody {
        void run() throws Exception;
    }
}
