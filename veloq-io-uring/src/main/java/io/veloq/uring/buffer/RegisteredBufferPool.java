package io.veloq.uring.buffer;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.IoUringConstants;
import io.veloq.uring.ffi.LibC;
import io.veloq.uring.ffi.Native;
import io.veloq.uring.ffi.PosixConstants;
import io.veloq.uring.ffi.PosixLayouts;
import io.veloq.uring.ffi.Structs;
import io.veloq.uring.ring.Ring;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * The registered buffers of one worker: page-aligned slabs mapped and registered with the ring
 * once (IORING_REGISTER_BUFFERS, one iovec per slab of up to 1 GiB), cut into equal buffers that
 * tasks lease as {@link RegisteredBuffer} handles.
 *
 * <p>Threading: confined to the owning worker — its thread and the tasks it runs. {@link #lease}
 * from a task of another worker throws {@link WrongThreadException}. All state is plain except the
 * hand-off of a buffer to a waiting task ({@code Waiter.granted}, release/acquire).
 *
 * <p>Lifecycle: created with the driver (start-up fails if the pool does not fit under
 * RLIMIT_MEMLOCK, unless CAP_IPC_LOCK lifts it; see {@link MemlockBudget}); {@link #close} when
 * the driver closes: waiting tasks are woken with an exception, and the slabs are unmapped once
 * the last leased buffer is returned (never under a task that still holds one).
 */
public final class RegisteredBufferPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RegisteredBufferPool.class.getName());

    /** A task parked in {@link #lease()} under {@link ExhaustionPolicy#WAIT}. */
    private static final class Waiter {
        private static final VarHandle GRANTED;

        static {
            try {
                GRANTED = MethodHandles.lookup().findVarHandle(Waiter.class, "granted", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread = Thread.currentThread();
        @SuppressWarnings("unused") // through GRANTED
        private int granted = -1;

        int granted() {
            return (int) GRANTED.getAcquire(this); // pairs with the release in grant()
        }

        void grant(int index) {
            GRANTED.setRelease(this, index);
        }
    }

    private final BufferPoolConfig config;
    private final String ownerName;
    private final BooleanSupplier onOwnerWorker;
    private final MemorySegment[] slabs;
    private final int buffersPerSlab;
    private final long pageSize;
    private final int[] free;
    private final int[] generations;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final long accountedBytes;
    private int freeCount;
    private int leased;
    private long fallbackLeases;
    private boolean closed;
    private boolean unmapped;

    private RegisteredBufferPool(BufferPoolConfig config, String ownerName, BooleanSupplier onOwnerWorker,
                                 MemorySegment[] slabs, int buffersPerSlab, long pageSize, long accountedBytes) {
        this.config = config;
        this.ownerName = ownerName;
        this.onOwnerWorker = onOwnerWorker;
        this.slabs = slabs;
        this.buffersPerSlab = buffersPerSlab;
        this.pageSize = pageSize;
        this.accountedBytes = accountedBytes;
        this.free = new int[config.bufferCount()];
        this.generations = new int[config.bufferCount()];
        for (int i = 0; i < free.length; i++) {
            free[i] = free.length - 1 - i; // lease the lowest index first
        }
        this.freeCount = free.length;
    }

    /**
     * Maps, accounts and registers the pool on {@code ring}, releasing everything if a step fails.
     *
     * @param ownerName how messages name the owner, e.g. "worker 2"
     * @param onOwnerWorker true when the caller runs on the owning worker (its thread or one of its tasks)
     * @param memlockLimit the locked-memory limit in bytes ({@link Long#MAX_VALUE}: none); see {@link #memlockLimit()}
     * @throws IOException if the pool does not fit under the limit (the message names it and how to
     *     raise it), or mapping or registering fails
     */
    public static RegisteredBufferPool create(Ring ring, BufferPoolConfig config, String ownerName,
                                              BooleanSupplier onOwnerWorker, long memlockLimit) throws IOException {
        long pageSize = LibC.sysconf(PosixConstants._SC_PAGESIZE);
        int count = config.bufferCount();
        if (count == 0) {
            return new RegisteredBufferPool(config, ownerName, onOwnerWorker, new MemorySegment[0], 1, pageSize, 0);
        }
        int perSlab = (int) Math.min(count, BufferPoolConfig.MAX_REGISTERED_REGION / config.bufferSize());
        int slabCount = (count + perSlab - 1) / perSlab;
        long total = config.totalBytes();
        MemlockBudget.reserve(total, memlockLimit, "The registered buffer pool of " + ownerName + " ("
                + count + " x " + MemlockBudget.format(config.bufferSize()) + ")");
        MemorySegment[] slabs = new MemorySegment[slabCount];
        try (Arena temporary = Arena.ofConfined()) {
            MemorySegment callState = Native.allocateCallState(temporary);
            MemorySegment iovecs = temporary.allocate(PosixLayouts.IOVEC, slabCount);
            for (int s = 0; s < slabCount; s++) {
                int buffers = Math.min(perSlab, count - s * perSlab);
                slabs[s] = mapSlab(callState, (long) buffers * config.bufferSize(), ownerName);
                Structs.setIovec(iovecs, s, slabs[s].address(), slabs[s].byteSize());
            }
            int r = ring.register(IoUringConstants.IORING_REGISTER_BUFFERS, iovecs, slabCount);
            if (r < 0) {
                throw new IOException("registering the buffer pool of " + ownerName + " (" + MemlockBudget.format(total)
                        + ") failed: " + Errno.describe(-r) + (r == -Errno.ENOMEM
                        ? ". The kernel counts registered memory per user against RLIMIT_MEMLOCK ("
                        + MemlockBudget.format(memlockLimit) + "); other processes of this user may hold some. "
                        + MemlockBudget.HOW_TO_RAISE : ""));
            }
            return new RegisteredBufferPool(config, ownerName, onOwnerWorker, slabs, perSlab, pageSize, total);
        } catch (IOException | RuntimeException | Error e) {
            unmap(slabs);
            MemlockBudget.release(total);
            throw e;
        }
    }

    /**
     * Checks, without reserving anything, that {@code pools} pools of {@code config} fit under
     * RLIMIT_MEMLOCK next to what this process has registered already: a runtime checks all its
     * workers' pools at once before starting any of them.
     *
     * @throws IOException naming the limit, the numbers and how to raise the limit
     */
    public static void checkFits(BufferPoolConfig config, int pools) throws IOException {
        if (pools < 1) {
            throw new IllegalArgumentException("pools must be >= 1, was " + pools);
        }
        if (config.bufferCount() == 0) {
            return;
        }
        MemlockBudget.check(config.totalBytes() * pools, MemlockBudget.limit(), "The buffer pools of "
                + pools + " workers together (" + pools + " x " + config.bufferCount() + " x "
                + MemlockBudget.format(config.bufferSize()) + ")");
    }

    /**
     * The locked-memory limit the kernel applies to this process's registered buffers, in bytes
     * ({@link Long#MAX_VALUE}: none): the soft RLIMIT_MEMLOCK, or none when the process holds
     * CAP_IPC_LOCK (in the initial user namespace), since io_uring does not charge its pinned
     * pages then. The limit {@link #create} and {@link #checkFits} check against.
     */
    public static long memlockLimit() throws IOException {
        return MemlockBudget.limit();
    }

    /**
     * Leases a buffer to the calling task. When all are leased, acts per the pool's
     * {@link ExhaustionPolicy}.
     *
     * @throws WrongThreadException if called from outside the owning worker
     * @throws BufferPoolExhaustedException under {@link ExhaustionPolicy#FAIL}
     * @throws InterruptedIOException if interrupted while waiting ({@link ExhaustionPolicy#WAIT})
     * @throws IOException if the pool is closed
     */
    public RegisteredBuffer lease() throws IOException {
        checkOwnerWorker();
        RegisteredBuffer buffer = tryLease();
        if (buffer != null) {
            return buffer;
        }
        return switch (config.exhaustion()) {
            case FAIL -> throw new BufferPoolExhaustedException("all " + config.bufferCount() + " registered buffers of "
                    + ownerName + " are leased (exhaustion policy FAIL)");
            case FALLBACK -> fallback();
            case WAIT -> handle(awaitFree());
        };
    }

    /** A registered buffer, or null when all are leased (never falls back, never waits). */
    public RegisteredBuffer tryLease() throws IOException {
        checkOwnerWorker();
        if (closed) {
            throw new IOException("the registered buffer pool of " + ownerName + " is closed");
        }
        return freeCount == 0 ? null : handle(free[--freeCount]);
    }

    public int bufferSize() { return config.bufferSize(); }
    public int capacity() { return config.bufferCount(); }
    /** Registered buffers not leased right now. */
    public int available() { return freeCount; }
    /** Registered buffers leased right now. */
    public int leased() { return leased; }
    /** Tasks parked in {@link #lease()} waiting for a buffer. */
    public int waiting() { return waiters.size(); }
        /** Fallback (unregistered) buffers handed out so far. */
    public long fallbackLeases() { return fallbackLeases; }
    public ExhaustionPolicy exhaustion() { return config.exhaustion(); }
    public long registeredBytes() { return accountedBytes; }

    /** Closes the pool; waiting tasks are woken (they fail), memory is unmapped when no buffer is leased. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        MemlockBudget.release(accountedBytes);
        for (Waiter waiter : waiters) {
            LockSupport.unpark(waiter.thread);
        }
        if (leased == 0) {
            unmapNow();
        } else {
            LOG.log(System.Logger.Level.DEBUG, "buffer pool of {0} closed with {1} buffers still leased; "
                    + "its memory is unmapped when the last one is returned", ownerName, leased);
        }
    }

    String describeOwner() {
        return ownerName;
    }

    /** Called by a handle's close, on its (owning-worker) task. */
    void giveBack(int index, int generation) {
        if (generations[index] != generation) {
            throw new IllegalStateException("buffer #" + index + " of " + ownerName + " returned twice");
        }
        generations[index]++;
        leased--;
        if (closed) {
            if (leased == 0) {
                unmapNow();
            }
            return;
        }
        Waiter next = waiters.pollFirst();
        if (next != null) {
            leased++;
            next.grant(index);
            LockSupport.unpark(next.thread);
        } else {
            free[freeCount++] = index;
        }
    }

    @SuppressWarnings("restricted") // a view of our own slab, bounded to the buffer, scoped to the lease
    private RegisteredBuffer handle(int index) {
        int slab = index / buffersPerSlab;
        long offset = (long) (index % buffersPerSlab) * config.bufferSize();
        Arena lease = Arena.ofConfined();
        MemorySegment view = slabs[slab].asSlice(offset, config.bufferSize()).reinterpret(lease, null);
        leased++;
        return new RegisteredBuffer(this, index, generations[index], slab, lease, view);
    }

    private RegisteredBuffer fallback() {
        Arena lease = Arena.ofConfined();
        MemorySegment memory = lease.allocate(config.bufferSize(), Math.min(pageSize, config.bufferSize()));
        fallbackLeases++;
        return new RegisteredBuffer(null, -1, 0, -1, lease, memory);
    }

    private int awaitFree() throws IOException {
        if (!Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("waiting for a registered buffer parks the caller; call lease() from a "
                    + "task, not from the worker thread " + Thread.currentThread());
        }
        Waiter waiter = new Waiter();
        waiters.addLast(waiter);
        boolean interrupted = false;
        while (waiter.granted() < 0 && !closed) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
                break;
            }
        }
        int index = waiter.granted();
        if (index >= 0) {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            leased--; // handle() counts it again
            return index;
        }
        waiters.remove(waiter);
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a registered buffer of " + ownerName);
        }
        throw new IOException("the registered buffer pool of " + ownerName + " closed while waiting for a buffer");
    }

    private void checkOwnerWorker() {
        if (!onOwnerWorker.getAsBoolean()) {
            throw new WrongThreadException("the registered buffer pool of " + ownerName
                    + " is confined to its worker; called from " + Thread.currentThread());
        }
    }

    private void unmapNow() {
        if (!unmapped) {
            unmapped = true;
            unmap(slabs);
        }
    }

    @SuppressWarnings("restricted") // mmap's raw address, bounded by the length we asked for
    private static MemorySegment mapSlab(MemorySegment callState, long length, String ownerName) throws IOException {
        long address = LibC.mmap(callState, length, PosixConstants.PROT_READ | PosixConstants.PROT_WRITE,
                PosixConstants.MAP_PRIVATE | PosixConstants.MAP_ANONYMOUS, -1, 0);
        if (address < 0) {
            throw new IOException("mapping " + MemlockBudget.format(length) + " for the buffer pool of " + ownerName
                    + " failed: " + Errno.describe((int) -address));
        }
        return MemorySegment.ofAddress(address).reinterpret(length);
    }

    private static void unmap(MemorySegment[] slabs) {
        try (Arena temporary = Arena.ofConfined()) {
            MemorySegment callState = Native.allocateCallState(temporary);
            for (MemorySegment slab : slabs) {
                if (slab != null) {
                    LibC.munmap(callState, slab.address(), slab.byteSize());
                }
            }
        }
    }
}
