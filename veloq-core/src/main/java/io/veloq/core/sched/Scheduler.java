package io.veloq.core.sched;

import io.veloq.join.JoinCell;
import io.veloq.join.JoinHandle;
import io.veloq.mesh.Mesh;
import io.veloq.mesh.SleepState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine behind {@code io.veloq.core.Runtime}: the workers, the mesh, the blocking pool, the
 * spawn routing, and the lifecycle word. Internal: the public API is {@code Runtime}; this class
 * is public only so that package can reach it.
 *
 * <p>Threading contract: every public method may be called from any thread. The lifecycle state is
 * one volatile int ({@link #RUNNING} → {@link #SHUTDOWN} → {@link #STOP} → {@link #TERMINATING}),
 * read here on every spawn and advanced only by CAS, from {@link Lifecycle}, which holds the start,
 * shutdown and termination steps. Termination detection and its memory-ordering argument are in
 * the package documentation ("Shutdown").
 */
public final class Scheduler {

    /** Accepting tasks from anywhere. */
    static final int RUNNING = 0;
    /** {@code shutdown}: no tasks from outside; tasks already inside run, and may still spawn. */
    static final int SHUTDOWN = 1;
    /** {@code shutdownNow}: no tasks at all; queued ones are cancelled, running ones interrupted. */
    static final int STOP = 2;
    /** Every task has ended: the workers leave their loops. */
    static final int TERMINATING = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Scheduler.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final SchedulerConfig config;
    final Worker[] workers;
    final Mesh<Object> mesh;
    final boolean debug;
    private final Object facade;
    final Reporting reporting;
    private final BlockingPool blocking;
    /** Start, shutdown and termination: cold, so kept apart from the spawn paths. */
    final Lifecycle lifecycle;
    /** Tasks counted by threads that are not this runtime's workers (see package doc, "Shutdown"). */
    final LongAdder externalSpawned = new LongAdder();
    final LongAdder externalEnded = new LongAdder();
    /** Live threads made by {@link #threadFactory()}, for shutdownNow and dumps. */
    final Set<Thread> factoryThreads = ConcurrentHashMap.newKeySet();
    private final AtomicLong names = new AtomicLong();

    /** Accessed through {@link #STATE} (CAS, from {@link Lifecycle}) and as a volatile read. */
    private volatile int state = RUNNING;

    /**
     * Starts the workers and returns once each has pinned itself and created its driver
     * ({@link Lifecycle#start}).
     *
     * @param facade the {@code Runtime} returned to tasks by {@code RuntimeContext.runtime()}
     * @throws IllegalStateException if a worker could not start (its driver factory failed); the
     *     other workers have been stopped by then
     */
    public Scheduler(SchedulerConfig config, Object facade) {
        this.config = Objects.requireNonNull(config, "config");
        this.facade = Objects.requireNonNull(facade, "facade");
        this.debug = config.debug();
        this.reporting = new Reporting(config.uncaughtExceptionHandler());
        JdkPollers.initialise();

        int n = config.workers();
        this.workers = new Worker[n];
        SleepState[] sleepers = new SleepState[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            sleepers[i] = new SleepState(() -> workers[index].wakeDriver());
        }
        this.mesh = new Mesh<>(n, config.meshQueueCapacity(), sleepers);
        for (int i = 0; i < n; i++) {
            workers[i] = new Worker(this, i, config.cpus() == null ? -1 : config.cpus()[i], config, sleepers[i], mesh);
        }
        this.blocking = new BlockingPool(this, config.blockingThreads(), config.threadNamePrefix() + "blocking-");
        this.lifecycle = new Lifecycle(this);
        lifecycle.start();
    }

    /**
     * The default CPU of each worker: worker i gets the i-th CPU the calling thread may run on
     * ({@code sched_getaffinity}, so taskset and container cpusets are honoured), wrapping around
     * when there are more workers than CPUs; 0..availableProcessors-1 if the mask is unknown.
     */
    public static int[] defaultCpus(int workers) {
        List<Integer> allowed = CpuAffinity.allowedCpus();
        int[] cpus = new int[workers];
        int available = allowed.isEmpty() ? Runtime.getRuntime().availableProcessors() : allowed.size();
        for (int i = 0; i < workers; i++) {
            cpus[i] = allowed.isEmpty() ? i % available : allowed.get(i % available);
        }
        return cpus;
    }

    public Object facade() {
        return facade;
    }

    public Mesh<Object> mesh() {
        return mesh;
    }

    public int workerCount() {
        return workers.length;
    }

    int state() {
        return state; // volatile read
    }

    /** A lifecycle transition, for {@link Lifecycle}: each call site says which reads it pairs with. */
    boolean casState(int expected, int next) {
        return STATE.compareAndSet(this, expected, next); // volatile CAS
    }

    /** The start failed ({@link Lifecycle#start}): the workers that did start must leave their loops. */
    void forceTerminating() {
        STATE.setVolatile(this, TERMINATING); // volatile store: pairs with the workers' state read each round
    }

    // ---------------------------------------------------------------- spawning

    /**
     * Spawns {@code body} ({@link java.util.concurrent.Callable} or {@link Runnable}) as a task.
     *
     * @param worker the target worker for {@link Placement#ON}, else ignored
     * @param name the task's name, or null for a default one
     */
    public <T> JoinHandle<T> spawn(Placement placement, int worker, String name, Object body) {
        Objects.requireNonNull(body, "task");
        if (placement == Placement.ON) {
            checkWorkerIndex(worker);
        }
        String taskName = name != null ? name : defaultName();
        JoinCell<T> cell = new JoinCell<>(taskName);
        submit(placement, worker, new SpawnTask<>(taskName, cell, body, placement == Placement.SPAWN, spawnSite(taskName)));
        return cell;
    }

    /**
     * {@code blockOn}: a task whose caller waits for its handle from the start, so its failure goes
     * back to that caller and is never reported to the handler.
     */
    public <T> JoinHandle<T> spawnAwaited(String name, Object body) {
        Objects.requireNonNull(body, "task");
        JoinCell<T> cell = new JoinCell<>(name);
        submit(Placement.SPAWN, -1, new SpawnTask<>(name, cell, body, true, spawnSite(name), false));
        return cell;
    }

    /** {@code execute}: a task without a handle; its failure always reaches the handler. */
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "task");
        String taskName = defaultName();
        submit(Placement.SPAWN, -1, new SpawnTask<Void>(taskName, null, command, true, spawnSite(taskName)));
    }

    /** Throws IndexOutOfBoundsException naming the worker count. */
    private void checkWorkerIndex(int worker) {
        if (worker < 0 || worker >= workers.length) {
            throw new IndexOutOfBoundsException("worker " + worker + " is out of range: this runtime has "
                    + workers.length + " worker" + (workers.length == 1 ? "" : "s") + " (0.." + (workers.length - 1) + ")");
        }
    }

    private void submit(Placement placement, int worker, SpawnTask<?> task) {
        Worker here = Worker.current();
        if (here != null && here.scheduler == this) {
            if (state >= STOP) { // volatile read; a running task may still spawn during SHUTDOWN
                throw rejected();
            }
            switch (placement) {
                case SPAWN -> {
                    task.allowInline(this);
                    here.spawnHere(task);
                }
                case LOCAL -> {
                    task.allowInline(here);
                    here.spawnHere(task);
                }
                case ON -> deliverFrom(here, workers[worker], task);
                case BALANCED -> deliverFrom(here, pickBalanced(), task);
                case BLOCKING -> {
                    here.countSpawned();
                    blocking.submit(task);
                }
            }
            return;
        }
        if (placement == Placement.LOCAL) {
            throw new IllegalStateException("spawnLocal must be called from inside a task of this runtime"
                    + " (it queues on the caller's own worker); use spawn or spawnOn from outside");
        }
        // Count first, then check the state (Dekker with shutdown: see package doc, "Shutdown", step 2).
        externalSpawned.increment();
        if (!acceptsFromOutsideWorkers(state)) { // volatile read after the adder's CAS: pairs with shutdown's CAS, then scan
            externalEnded.increment();
            throw rejected();
        }
        switch (placement) {
            // spawn/execute from outside: one random worker — no load hints read on this hot path
            // (they are lines other cores write every round); stealing evens out what lands unevenly.
            case SPAWN -> {
                task.allowInline(this);
                pickRandom().inject(task);
            }
            case BALANCED -> injectBound(pickBalanced(), task);
            case ON -> injectBound(workers[worker], task);
            case BLOCKING -> blocking.submit(task);
            case LOCAL -> throw new AssertionError();
        }
    }

    private static void injectBound(Worker target, SpawnTask<?> task) {
        task.allowInline(target);
        target.inject(task);
    }

    private static void deliverFrom(Worker here, Worker target, SpawnTask<?> task) {
        task.allowInline(target);
        if (target == here) {
            here.spawnHere(task);
        } else {
            here.sendTask(target, task);
        }
    }

    private Worker pickRandom() {
        return workers.length == 1 ? workers[0] : workers[ThreadLocalRandom.current().nextInt(workers.length)];
    }

    /** Power of two choices over the workers' load hints. */
    Worker pickBalanced() {
        int n = workers.length;
        if (n == 1) {
            return workers[0];
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(n);
        int b = random.nextInt(n - 1);
        if (b >= a) {
            b++;
        }
        return workers[a].load() <= workers[b].load() ? workers[a] : workers[b];
    }

    /** A thread factory whose threads are tasks of this runtime (see {@link TaskThreadFactory}). */
    public ThreadFactory threadFactory() {
        return new TaskThreadFactory(this);
    }

    /**
     * Whether a spawn from a thread that is not one of the workers is accepted in state {@code s}:
     * while RUNNING; during SHUTDOWN only from a blocking-pool thread, which runs a counted task that
     * may still spawn like a worker's task (its own count keeps the runtime from terminating).
     */
    private boolean acceptsFromOutsideWorkers(int s) {
        return s == RUNNING || s == SHUTDOWN && blocking.owns(Thread.currentThread());
    }

    /** A factory thread is starting: counts it, or rejects it when the runtime no longer accepts. */
    void factoryThreadStarting(Thread thread, boolean fromInside) {
        externalSpawned.increment();
        int s = state; // volatile read after the adder's CAS (see submit)
        if (fromInside ? s >= STOP : !acceptsFromOutsideWorkers(s)) {
            externalEnded.increment();
            throw rejected();
        }
        factoryThreads.add(thread);
    }

    void factoryThreadEnded(Thread thread) {
        factoryThreads.remove(thread);
        externalTaskEnded();
    }

    /** A task counted anywhere ended on a thread that is not a worker (blocking pool, factory thread). */
    void externalTaskEnded() {
        externalEnded.increment();
        if (state != RUNNING) { // volatile read; a missed SHUTDOWN is caught by the workers' re-scan
            lifecycle.tryTerminate();
        }
    }

    private String defaultName() {
        return debug ? "task-" + names.incrementAndGet() : SpawnTask.DEFAULT_NAME;
    }

    private Throwable spawnSite(String taskName) {
        return debug ? new SpawnSite(taskName) : null;
    }

    private RejectedExecutionException rejected() {
        return new RejectedExecutionException("this Veloq runtime is shut down"
                + (state >= STOP ? " (shutdownNow)" : "") + " and accepts no new tasks");
    }

    // ---------------------------------------------------------------- lifecycle (the steps are in Lifecycle)

    public void shutdown() {
        lifecycle.shutdown();
    }

    /**
     * Stops intake, cancels the tasks queued in the stealable queues (returned) and the blocking
     * pool's queue, interrupts running tasks; workers cancel whatever else is still queued.
     */
    public List<Runnable> shutdownNow() {
        return lifecycle.shutdownNow();
    }

    public boolean isShutdown() {
        return state != RUNNING; // volatile read
    }

    public boolean isTerminated() {
        return lifecycle.isTerminated();
    }

    /** Waits for termination, then for every worker and blocking thread to have ended. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return lifecycle.awaitTermination(timeout, unit);
    }

    /** Whether the calling thread is one of this runtime's workers or tasks. */
    public boolean isInside() {
        Worker here = Worker.current();
        return here != null && here.scheduler == this;
    }

    /**
     * Whether the calling thread runs a task of this runtime (a worker's task, a factory thread or a
     * blocking-pool thread): such a thread waiting for termination would wait for itself.
     */
    public boolean isOwnThread() {
        Thread self = Thread.currentThread();
        return isInside() || factoryThreads.contains(self) || blocking.owns(self);
    }

    BlockingPool blocking() {
        return blocking;
    }

    /** Dump of every worker's tasks; waits up to two seconds for busy workers. */
    public String dumpTasks() {
        return TaskDump.dump(this);
    }

    @Override
    public String toString() {
        StringBuilder counts = new StringBuilder();
        for (Worker w : workers) {
            counts.append(" w").append(w.index).append("=").append(w.spawnedCount()).append("/").append(w.endedCount());
        }
        return "Scheduler[state " + state + ", spawned/ended: external=" + externalSpawned.sum() + "/" + externalEnded.sum()
                + counts + "]";
    }
}
