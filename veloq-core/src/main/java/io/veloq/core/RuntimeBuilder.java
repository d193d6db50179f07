package io.veloq.core;

import io.veloq.core.driver.DriverFactory;
import io.veloq.core.driver.Drivers;
import io.veloq.core.sched.Scheduler;
import io.veloq.core.sched.SchedulerConfig;
import java.time.Duration;
import java.util.function.Supplier;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Configures and builds a {@link Runtime}; get one with {@link Runtime#builder()}.
 *
 * <p>Every setter validates its argument at once and throws {@link IllegalArgumentException}
 * whose message names the setting; {@link #build()} checks the settings against each other. A
 * builder is not thread-safe; it may build several runtimes.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>range</th></tr>
 *   <tr><td>workers</td><td>available processors</td><td>1..1024</td></tr>
 *   <tr><td>pinning</td><td>true</td><td>worker i → the i-th CPU of the process's affinity mask</td></tr>
 *   <tr><td>cpus</td><td>—</td><td>one CPU, 0 to 65535, per worker; needs pinning</td></tr>
 *   <tr><td>threadNamePrefix</td><td>{@code veloq-worker-}</td><td>non-empty</td></tr>
 *   <tr><td>runQueueCapacity</td><td>4096</td><td>16..2<sup>26</sup> (stealable queue; the local queue grows)</td></tr>
 *   <tr><td>meshQueueCapacity</td><td>1024</td><td>2..2<sup>26</sup> per ordered worker pair</td></tr>
 *   <tr><td>tasksPerRound (B)</td><td>64</td><td>1..2<sup>20</sup></td></tr>
 *   <tr><td>meshMessagesPerRound (M)</td><td>64</td><td>1..2<sup>20</sup></td></tr>
 *   <tr><td>idleStrategy</td><td>Agrona {@code BusySpinIdleStrategy}</td><td>the spin phase</td></tr>
 *   <tr><td>idleSpinRounds</td><td>64</td><td>0..2<sup>30</sup>: idle rounds spun before sleeping</td></tr>
 *   <tr><td>cpuYieldInterval</td><td>50 µs</td><td>0..1 s, or never ({@link #noCpuYield()}): how often a busy
 *       worker offers its CPU to other threads</td></tr>
 *   <tr><td>driverFactory</td><td>ServiceLoader, else {@link io.veloq.core.driver.PortableDriver}</td><td></td></tr>
 *   <tr><td>uncaughtExceptionHandler</td><td>the JVM default handler, else stderr</td><td></td></tr>
 *   <tr><td>blockingThreads</td><td>512</td><td>1..32767</td></tr>
 *   <tr><td>debug</td><td>false</td><td>records spawn stacks; names runner threads after tasks</td></tr>
 * </table>
 */
public final class RuntimeBuilder {

    static final int MAX_WORKERS = 1024;
    static final int MAX_QUEUE = 1 << 26;
    static final int MAX_BUDGET = 1 << 20;
    static final int MAX_BLOCKING = 32767;
    /** Highest CPU number accepted: far above Linux's NR_CPUS limit (8192), and a mask stays small. */
    static final int MAX_CPU = (1 << 16) - 1;
    static final long DEFAULT_CPU_YIELD_NANOS = 50_000;
    static final Duration MAX_CPU_YIELD_INTERVAL = Duration.ofSeconds(1);

    private int workers = java.lang.Runtime.getRuntime().availableProcessors();
    private boolean pinning = true;
    private int[] cpus;
    private String threadNamePrefix = "veloq-worker-";
    private int runQueueCapacity = 4096;
    private int meshQueueCapacity = 1024;
    private int tasksPerRound = 64;
    private int meshMessagesPerRound = 64;
    private Supplier<? extends IdleStrategy> idleStrategy = BusySpinIdleStrategy::new;
    private int idleSpinRounds = 64;
    private long cpuYieldNanos = DEFAULT_CPU_YIELD_NANOS;
    private DriverFactory driverFactory;
    private Thread.UncaughtExceptionHandler uncaughtExceptionHandler;
    private int blockingThreads = 512;
    private boolean debug;

    RuntimeBuilder() {
    }

    /** Number of workers (pinned platform threads). */
    public RuntimeBuilder workers(int n) {
        this.workers = inRange("workers", n, 1, MAX_WORKERS);
        return this;
    }

    /** Pin each worker to one CPU ({@code sched_setaffinity}); where refused, one warning and unpinned. */
    public RuntimeBuilder pinning(boolean on) {
        this.pinning = on;
        return this;
    }

    /** Explicit CPU per worker: {@code cpuList[i]} for worker i; its length must equal {@link #workers}. */
    public RuntimeBuilder cpus(int... cpuList) {
        if (cpuList == null) {
            throw new IllegalArgumentException("cpus must not be null");
        }
        if (cpuList.length == 0) {
            throw new IllegalArgumentException("cpus must name at least one CPU");
        }
        for (int cpu : cpuList) {
            if (cpu < 0 || cpu > MAX_CPU) {
                throw new IllegalArgumentException("cpus must be between 0 and " + MAX_CPU + ", got " + cpu);
            }
        }
        this.cpus = cpuList.clone();
        return this;
    }

    /** Workers are named prefix + index; runner threads prefix + index + "-task". */
    public RuntimeBuilder threadNamePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("threadNamePrefix must be a non-empty string, got " + (prefix == null ? "null" : "\"\""));
        }
        this.threadNamePrefix = prefix;
        return this;
    }

    /** Capacity of each worker's stealable queue, and initial capacity of its local queue. */
    public RuntimeBuilder runQueueCapacity(int n) {
        this.runQueueCapacity = inRange("runQueueCapacity", n, 16, MAX_QUEUE);
        return this;
    }

    /** Capacity of each mesh queue (one per ordered worker pair). */
    public RuntimeBuilder meshQueueCapacity(int n) {
        this.meshQueueCapacity = inRange("meshQueueCapacity", n, 2, MAX_QUEUE);
        return this;
    }

    /** B: tasks and continuations a worker runs per round (also its injector intake per round). */
    public RuntimeBuilder tasksPerRound(int b) {
        this.tasksPerRound = inRange("tasksPerRound", b, 1, MAX_BUDGET);
        return this;
    }

    /** M: mesh messages a worker takes in per round. */
    public RuntimeBuilder meshMessagesPerRound(int m) {
        this.meshMessagesPerRound = inRange("meshMessagesPerRound", m, 1, MAX_BUDGET);
        return this;
    }

    /**
     * The idle strategy of the spin phase: an idle worker calls {@code idle()} once per idle round,
     * {@link #idleSpinRounds} times, before it sleeps in its driver. One instance per worker.
     */
    public RuntimeBuilder idleStrategy(Supplier<? extends IdleStrategy> strategy) {
        if (strategy == null) {
            throw new IllegalArgumentException("idleStrategy must not be null");
        }
        this.idleStrategy = strategy;
        return this;
    }

    /** How many idle rounds a worker spins before it sleeps; 0 sleeps at once. */
    public RuntimeBuilder idleSpinRounds(int rounds) {
        this.idleSpinRounds = inRange("idleSpinRounds", rounds, 0, 1 << 30);
        return this;
    }

    /**
     * How often a worker that stays busy offers its CPU to the machine's other runnable threads
     * (one {@code sched_yield} between rounds once this much time has passed since the last).
     * A worker never blocks while it has work, so without it a thread that shares the worker's CPU
     * — another process, the JVM's own threads, a load generator on the same machine — gets the CPU
     * only when the kernel preempts the worker, at timer-tick granularity (milliseconds), and
     * everything queued on that worker waits as long. The yield returns at once when nothing else
     * wants the CPU. {@code Duration.ZERO} yields after every round.
     */
    public RuntimeBuilder cpuYieldInterval(Duration interval) {
        if (interval == null || interval.isNegative() || interval.compareTo(MAX_CPU_YIELD_INTERVAL) > 0) {
            throw new IllegalArgumentException("cpuYieldInterval must be between 0 and " + MAX_CPU_YIELD_INTERVAL
                    + " (noCpuYield() turns it off), was " + interval);
        }
        this.cpuYieldNanos = interval.toNanos();
        return this;
    }

    /** Busy workers never yield their CPU (for machines where each worker has its CPU to itself). */
    public RuntimeBuilder noCpuYield() {
        this.cpuYieldNanos = -1;
        return this;
    }

    /** The driver of every worker (default: a ServiceLoader-found factory, else the portable driver). */
    public RuntimeBuilder driverFactory(DriverFactory factory) {
        if (factory == null) {
            throw new IllegalArgumentException("driverFactory must not be null");
        }
        this.driverFactory = factory;
        return this;
    }

    /** Receives failures of tasks nobody observed, and internal errors (see {@link Runtime}). */
    public RuntimeBuilder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("uncaughtExceptionHandler must not be null");
        }
        this.uncaughtExceptionHandler = handler;
        return this;
    }

    /** Most platform threads of the {@code spawnBlocking} pool; further blocking tasks queue. */
    public RuntimeBuilder blockingThreads(int max) {
        this.blockingThreads = inRange("blockingThreads", max, 1, MAX_BLOCKING);
        return this;
    }

    /** Debug mode: record each task's spawn stack (shown in reports and dumps), name runners after tasks. */
    public RuntimeBuilder debug(boolean captureSpawnStacks) {
        this.debug = captureSpawnStacks;
        return this;
    }

    /**
     * Checks the JVM flags and the settings, starts the workers and returns the running runtime.
     *
     * @throws IllegalArgumentException if settings contradict each other (named in the message)
     * @throws IllegalStateException if a JVM flag is missing (named), an explicit {@code
     *     driverFactory} cannot serve this many workers (its reason in the message), or a worker
     *     cannot start
     */
    public Runtime build() {
        if (cpus != null && cpus.length != workers) {
            throw new IllegalArgumentException("cpus must list one CPU per worker: " + workers
                    + " workers, " + cpus.length + " CPUs given");
        }
        if (cpus != null && !pinning) {
            throw new IllegalArgumentException("cpus given but pinning is off: drop cpus or enable pinning");
        }
        JvmFlags.check();
        int[] resolved = !pinning ? null : cpus != null ? cpus.clone() : Scheduler.defaultCpus(workers);
        DriverFactory drivers = driverFactory != null ? prepared(driverFactory, workers) : Drivers.defaultFactory(workers);
        SchedulerConfig config = new SchedulerConfig(workers, resolved, threadNamePrefix, runQueueCapacity,
                meshQueueCapacity, tasksPerRound, meshMessagesPerRound, idleStrategy, idleSpinRounds,
                cpuYieldNanos, drivers, uncaughtExceptionHandler,
                blockingThreads, debug);
        return new Runtime(config);
    }

    /** An explicit factory must accept the whole runtime up front: no worker starts otherwise. */
    private static DriverFactory prepared(DriverFactory factory, int workers) {
        try {
            factory.prepare(workers);
        } catch (Exception e) {
            throw new IllegalStateException("driverFactory " + factory + " cannot serve " + workers
                    + " workers: " + e.getMessage(), e);
        }
        return factory;
    }

    private static int inRange(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(setting + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
