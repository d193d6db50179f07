package io.veloq.core.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code Runtime.threadFactory()}: unstarted virtual threads that run as tasks of the runtime, for
 * code that wants threads ({@code Executors.newThreadPerTaskExecutor}, {@code StructuredTaskScope}).
 *
 * <p>Each thread gets its own {@link HomeBinding} scheduler, which picks the thread's worker when
 * the thread starts — the caller's worker when started from inside the runtime, else the less
 * loaded of two random workers — and forwards every continuation there, so the thread is
 * home-bound like any task. A started thread counts as a task for shutdown until its body returns.
 *
 * <p>Threading: {@link #newThread} from any thread.
 */
final class TaskThreadFactory implements ThreadFactory {

    private final Scheduler scheduler;
    private final AtomicLong count = new AtomicLong();

    TaskThreadFactory(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public Thread newThread(Runnable body) {
        Objects.requireNonNull(body, "body");
        HomeBinding home = new HomeBinding(scheduler);
        Runnable counted = () -> {
            try {
                body.run();
            } finally {
                scheduler.factoryThreadEnded(Thread.currentThread());
            }
        };
        String name = scheduler.config.threadNamePrefix() + "thread-" + count.incrementAndGet();
        Thread thread = VirtualThreads.newThread(home, name, scheduler.reporting.handler(), counted);
        home.thread = thread;
        return thread;
    }

    /**
     * The scheduler of one factory thread: binds to a worker on the first {@code execute} (which
     * is {@code Thread.start}), then forwards to it. Any thread.
     */
    static final class HomeBinding implements Executor {
        private static final VarHandle HOME;

        static {
            try {
                HOME = MethodHandles.lookup().findVarHandle(HomeBinding.class, "home", Worker.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Scheduler scheduler;
        /** Set before the thread starts (the start's execute publishes it). */
        Thread thread;
        /** Accessed through {@link #HOME}. */
        @SuppressWarnings("unused")
        private Worker home;

        HomeBinding(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public void execute(Runnable continuation) {
            Worker w = (Worker) HOME.getAcquire(this); // pairs with the CAS in bind
            if (w == null) {
                w = bind();
            }
            w.execute(continuation);
        }

        private Worker bind() {
            Worker here = Worker.current();
            boolean inside = here != null && here.scheduler == scheduler;
            Worker chosen = inside ? here : scheduler.pickBalanced();
            scheduler.factoryThreadStarting(thread, inside); // may reject: Thread.start then throws
            Worker witness = (Worker) HOME.compareAndExchange(this, (Worker) null, chosen); // volatile CAS
            return witness != null ? witness : chosen;
        }
    }
}
