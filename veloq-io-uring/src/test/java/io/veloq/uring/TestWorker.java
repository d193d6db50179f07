package io.veloq.uring;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal stand-in for a Veloq worker, so the driver can be tested without veloq-core: one
 * platform thread that owns an {@link IoUringDriver} and runs tasks — virtual threads whose
 * scheduler is this worker — polling the driver every round and parking in it when idle.
 *
 * <p>It follows the driver's contract the way core's worker loop does: tasks run on the owner,
 * {@code poll()} every round, {@code park()} only with an empty run queue, {@code wake()} from
 * any other thread after enqueueing, {@code close()} on the owner, then the resumed tasks are run.
 */
public final class TestWorker implements AutoCloseable {

    private static final Constructor<?> VIRTUAL_BUILDER;

    static {
        try {
            Class<?> builder = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            VIRTUAL_BUILDER = builder.getDeclaredConstructor(Executor.class);
            VIRTUAL_BUILDER.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A spawned task: its virtual thread and its result. */
    public record Task<T>(Thread thread, CompletableFuture<T> result) {}

    private final ConcurrentLinkedQueue<Runnable> runQueue = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<IoUringDriver> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicInteger liveTasks = new AtomicInteger();
    private final Thread.Builder.OfVirtual taskBuilder;
    private final Thread thread;
    private volatile IoUringDriver driver;
    private volatile boolean stopping;
    private volatile boolean forceClose;

    /** Opens the worker's driver, on the worker's thread. */
    @FunctionalInterface
    private interface DriverOpener {
        IoUringDriver open() throws IOException;
    }

    public TestWorker(int workerIndex, IoUringConfig config) throws Exception {
        this(workerIndex, () -> IoUringDriver.open(workerIndex, config));
    }

    public TestWorker(IoUringConfig config) throws Exception {
        this(0, config);
    }

    /**
     * A worker whose buffer pool is checked against {@code memlockLimit} bytes instead of this
     * process's limit, which CAP_IPC_LOCK (root) lifts or the machine may leave unlimited.
     */
    public static TestWorker withMemlockLimit(IoUringConfig config, long memlockLimit) throws Exception {
        return new TestWorker(0, () -> IoUringDriver.open(0, config, memlockLimit));
    }

    private TestWorker(int workerIndex, DriverOpener opener) throws Exception {
        try {
            taskBuilder = (Thread.Builder.OfVirtual) VIRTUAL_BUILDER.newInstance((Executor) this::execute);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("needs --add-opens java.base/java.lang=ALL-UNNAMED", e);
        }
        thread = Thread.ofPlatform().name("test-worker-" + workerIndex).start(() -> run(workerIndex, opener));
        try {
            driver = started.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    public IoUringDriver driver() {
        return driver;
    }

    public Thread thread() {
        return thread;
    }

    public <T> Task<T> spawn(Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        liveTasks.incrementAndGet();
        Thread task = taskBuilder.unstarted(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                liveTasks.decrementAndGet();
            }
        });
        task.start();
        return new Task<>(task, result);
    }

    /** Runs {@code body} as a task and waits for it (20 s at most), rethrowing what it threw. */
    public <T> T call(Callable<T> body) throws Exception {
        return await(spawn(body).result());
    }

    public static <T> T await(CompletableFuture<T> result) throws Exception {
        try {
            return result.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("task did not finish in 20 s", e);
        }
    }

    /** Stops after the live tasks finished, closes the driver, joins the thread. */
    @Override
    public void close() throws Exception {
        stopping = true;
        driver.wake();
        stopped.get(30, TimeUnit.SECONDS);
        thread.join();
    }

    /** Closes the driver now, with tasks possibly parked in operations; joins the thread. */
    public void closeNow() throws Exception {
        forceClose = true;
        stopping = true;
        driver.wake();
        stopped.get(30, TimeUnit.SECONDS);
        thread.join();
    }

    private void execute(Runnable continuation) {
        runQueue.add(continuation);
        if (Carriers.current() != thread) {
            IoUringDriver d = driver;
            if (d != null) {
                d.wake();
            }
        }
    }

    private void run(int workerIndex, DriverOpener opener) {
        IoUringDriver d;
        try {
            d = opener.open();
        } catch (Throwable t) {
            started.completeExceptionally(t);
            return;
        }
        driver = d;
        started.complete(d);
        try {
            while (!(forceClose || (stopping && liveTasks.get() == 0 && runQueue.isEmpty()))) {
                int ran = runTasks();
                int reaped = d.poll();
                if (ran == 0 && reaped == 0 && runQueue.isEmpty() && !stopping) {
                    d.park(Long.MAX_VALUE);
                } else if (ran == 0 && reaped == 0 && runQueue.isEmpty()) {
                    d.park(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5));
                }
            }
            d.close();
            for (int round = 0; round < 1000 && (liveTasks.get() > 0 || !runQueue.isEmpty()); round++) {
                if (runTasks() == 0) {
                    Thread.sleep(1);
                }
            }
            stopped.complete(null);
        } catch (Throwable t) {
            System.err.println("test worker " + workerIndex + " stopped on " + t);
            t.printStackTrace();
            stopped.completeExceptionally(t);
        }
    }

    private int runTasks() {
        int ran = 0;
        Runnable next;
        while ((next = runQueue.poll()) != null) {
            next.run();
            ran++;
        }
        return ran;
    }
}
