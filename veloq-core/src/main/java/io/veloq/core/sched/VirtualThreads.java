package io.veloq.core.sched;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The one place where Veloq reaches into {@code java.lang} for what JDK 25 has no public API for:
 * virtual threads with a custom scheduler, the current carrier thread, and resetting a reused
 * thread's thread-locals. Swap this class when the JDK ships custom schedulers.
 *
 * <p>Needs {@code --add-opens java.base/java.lang=ALL-UNNAMED} (checked with a clear message by
 * {@code io.veloq.core.JvmFlags} before this class is first used).
 *
 * <ul>
 *   <li>{@link #factory}: the package-private constructor {@code
 *       java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)} (present in JDK 21 to 25, "invoked
 *       by tests"); the builder's public {@code factory()} then creates threads whose continuations
 *       are handed to {@code scheduler.execute} — on our worker, as a platform-thread call.</li>
 *   <li>{@link #currentCarrier}: {@code Thread.currentCarrierThread()} (a JIT intrinsic). Inside a
 *       virtual thread {@code Thread.currentThread()} is the virtual thread; its carrier is the
 *       worker thread, so "which worker am I on" is one intrinsic call plus a type check.</li>
 *   <li>{@link #resetForNextTask}: clears {@code Thread.threadLocals} and {@code
 *       inheritableThreadLocals} of a runner thread between two tasks, so that each task sees fresh
 *       thread-locals as if it had its own virtual thread; {@link #threadLocals}, {@link
 *       #inheritableThreadLocals} and {@link #restoreLocals} set a joiner's maps aside while it runs
 *       a task inline.</li>
 *   <li>{@link #scopedValueBindings} and {@link #replaceScopedValueBindings}: {@code
 *       Thread.scopedValueBindings} and {@code Thread.setScopedValueCache}, to set a joiner's
 *       {@code ScopedValue} bindings aside while it runs a task inline.</li>
 *   <li>{@link #unpinLeaked}: {@code VirtualThread.enableSuspendAndPreempt()}, to undo a pin the
 *       JDK leaked (see there). Optional: without it a leaked pin stays.</li>
 * </ul>
 *
 * <p>Threading: stateless; every method may be called from any thread, except {@link
 * #resetForNextTask}, which only the thread itself may call.
 *
 * <p>Failures: an unchecked exception or Error from a handle goes on as it is (a StackOverflowError
 * on a deep joiner's stack must stay one, see {@code InlineJoin}); only the checked {@code Throwable}
 * that {@code invokeExact} declares is wrapped.
 */
public final class VirtualThreads {

    private static final Constructor<?> BUILDER;
    private static final MethodHandle CURRENT_CARRIER;
    private static final MethodHandle GET_LOCALS;
    private static final MethodHandle SET_LOCALS;
    private static final MethodHandle GET_INHERITABLE;
    private static final MethodHandle SET_INHERITABLE;
    private static final MethodHandle GET_HANDLER;
    private static final MethodHandle GET_LOADER;
    private static final MethodHandle GET_BINDINGS;
    private static final MethodHandle SET_BINDINGS;
    private static final MethodHandle SET_SCOPED_VALUE_CACHE;
    /** {@code VirtualThread.enableSuspendAndPreempt()} (one {@code Continuation.unpin()}), or null. */
    private static final MethodHandle UNPIN = unpinHandle();
    /**
     * {@code Thread.NEW_THREAD_BINDINGS}: the scoped-value bindings of a thread that never bound or
     * inherited any ({@code ScopedValue} reads it as "no bindings", without a stack walk).
     */
    static final Object NO_SCOPED_VALUE_BINDINGS = Thread.class;

    static {
        try {
            Class<?> builder = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            BUILDER = builder.getDeclaredConstructor(Executor.class);
            BUILDER.setAccessible(true);

            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            CURRENT_CARRIER = lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            Class<?> map = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
            GET_LOCALS = lookup.findGetter(Thread.class, "threadLocals", map)
                    .asType(MethodType.methodType(Object.class, Thread.class));
            SET_LOCALS = lookup.findSetter(Thread.class, "threadLocals", map)
                    .asType(MethodType.methodType(void.class, Thread.class, Object.class));
            GET_INHERITABLE = lookup.findGetter(Thread.class, "inheritableThreadLocals", map)
                    .asType(MethodType.methodType(Object.class, Thread.class));
            SET_INHERITABLE = lookup.findSetter(Thread.class, "inheritableThreadLocals", map)
                    .asType(MethodType.methodType(void.class, Thread.class, Object.class));
            GET_LOADER = lookup.findGetter(Thread.class, "contextClassLoader", ClassLoader.class)
                    .asType(MethodType.methodType(ClassLoader.class, Thread.class));
            GET_BINDINGS = lookup.findGetter(Thread.class, "scopedValueBindings", Object.class);
            SET_BINDINGS = lookup.findSetter(Thread.class, "scopedValueBindings", Object.class);
            SET_SCOPED_VALUE_CACHE = lookup.findStatic(Thread.class, "setScopedValueCache",
                    MethodType.methodType(void.class, Object[].class));
            GET_HANDLER = lookup.findGetter(Thread.class, "uncaughtExceptionHandler", Thread.UncaughtExceptionHandler.class)
                    .asType(MethodType.methodType(Object.class, Thread.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(new UnsupportedOperationException(
                    "this JDK (" + System.getProperty("java.version") + ") does not offer the virtual-thread"
                            + " scheduler hook Veloq needs (java.lang.ThreadBuilders$VirtualThreadBuilder(Executor),"
                            + " Thread.currentCarrierThread()); run with --add-opens java.base/java.lang=ALL-UNNAMED"
                            + " on JDK 25", e));
        }
    }

    private VirtualThreads() {
    }

    /**
     * A factory of unstarted virtual threads whose continuations run on {@code scheduler}. The
     * threads do not inherit inheritable thread-locals (their context class loader is then the
     * system class loader; callers may set another).
     *
     * @param name the name of every thread (no counter: cheap), or null for the JDK's default ("")
     * @param handler uncaught-exception handler of the threads, or null
     */
    public static ThreadFactory factory(Executor scheduler, String name, Thread.UncaughtExceptionHandler handler) {
        Thread.Builder.OfVirtual builder = newBuilder(scheduler).inheritInheritableThreadLocals(false);
        if (name != null) {
            builder.name(name);
        }
        if (handler != null) {
            builder.uncaughtExceptionHandler(handler);
        }
        return builder.factory();
    }

    /**
     * One unstarted virtual thread on {@code scheduler}. Unlike {@link #factory}, it inherits the
     * creating thread's inheritable thread-locals and context class loader, as {@code
     * Thread.ofVirtual()} threads do.
     */
    public static Thread newThread(Executor scheduler, String name, Thread.UncaughtExceptionHandler handler, Runnable body) {
        Thread.Builder.OfVirtual builder = newBuilder(scheduler);
        if (name != null) {
            builder.name(name);
        }
        if (handler != null) {
            builder.uncaughtExceptionHandler(handler);
        }
        return builder.unstarted(body);
    }

    /** The platform thread the caller runs on: itself for a platform thread, the carrier for a virtual one. */
    public static Thread currentCarrier() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.currentCarrierThread failed", e);
        }
    }

    /**
     * Current thread only: drops every thread-local the previous task left behind. Costs two field
     * loads when the task set none.
     */
    static void resetForNextTask(Thread self) {
        try {
            if ((Object) GET_LOCALS.invokeExact(self) != null) {
                SET_LOCALS.invokeExact(self, (Object) null);
            }
            if ((Object) GET_INHERITABLE.invokeExact(self) != null) {
                SET_INHERITABLE.invokeExact(self, (Object) null);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot reset thread-locals of " + self, e);
        }
    }

    /**
     * The handler set on {@code thread} with {@code setUncaughtExceptionHandler}, or null: the field
     * itself (a volatile load), without the thread-group fallback of the public getter.
     */
    static Object ownUncaughtHandler(Thread thread) {
        try {
            return (Object) GET_HANDLER.invokeExact(thread);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read the uncaught-exception handler of " + thread, e);
        }
    }

    /** The context class loader field of {@code thread} as set (no fallback of the public getter). */
    static ClassLoader contextLoader(Thread thread) {
        try {
            return (ClassLoader) GET_LOADER.invokeExact(thread);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read the context class loader of " + thread, e);
        }
    }

    /** Current thread only: its {@code ThreadLocal} map (an opaque token for {@link #restoreLocals}), or null. */
    static Object threadLocals(Thread self) {
        try {
            return (Object) GET_LOCALS.invokeExact(self);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read thread-locals of " + self, e);
        }
    }

    /** Current thread only: its {@code InheritableThreadLocal} map (an opaque token), or null. */
    static Object inheritableThreadLocals(Thread self) {
        try {
            return (Object) GET_INHERITABLE.invokeExact(self);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read thread-locals of " + self, e);
        }
    }

    /**
     * Current thread only: puts back the maps read by {@link #threadLocals} and {@link
     * #inheritableThreadLocals}, dropping whatever a task run in between left (an inline join).
     */
    static void restoreLocals(Thread self, Object locals, Object inheritable) {
        try {
            SET_LOCALS.invokeExact(self, locals);
            SET_INHERITABLE.invokeExact(self, inheritable);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot restore thread-locals of " + self, e);
        }
    }

    /**
     * Current thread only: its scoped-value bindings ({@code Thread.scopedValueBindings}: an opaque
     * token for {@link #replaceScopedValueBindings}; null means "find them by walking the stack").
     */
    static Object scopedValueBindings(Thread self) {
        try {
            return (Object) GET_BINDINGS.invokeExact(self);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read scoped-value bindings of " + self, e);
        }
    }

    /**
     * Current thread only: replaces its scoped-value bindings and drops its scoped-value cache (which
     * holds values found through the old bindings), as an inline join does around the task it runs:
     * {@link #NO_SCOPED_VALUE_BINDINGS} before, the token read by {@link #scopedValueBindings} after.
     * Safe only where no {@code ScopedValue} binding operation of this thread is open between the two
     * calls, which holds for a task that runs and returns in between.
     */
    static void replaceScopedValueBindings(Thread self, Object bindings) {
        try {
            SET_BINDINGS.invokeExact(self, bindings);
            SET_SCOPED_VALUE_CACHE.invokeExact((Object[]) null); // acts on the current thread
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot replace scoped-value bindings of " + self, e);
        }
    }

    /**
     * Current virtual thread only, where it holds no pin of its own (a runner between two tasks):
     * undoes pins that a StackOverflowError leaked, and returns how many.
     *
     * <p>Why: JDK code brackets short critical sections with {@code Continuation.pin()} and an
     * {@code unpin()} in a {@code finally} (e.g. {@code ReferenceQueue.poll}, reached through method
     * type interning when a method-handle call site is linked). Near the end of the stack the
     * {@code unpin()} call itself can overflow, and the count stays up for good: every later park of
     * that thread then blocks its carrier, here the worker's own thread, which nobody can unpark. A
     * runner's pin count is 0 between tasks, so this unpins until the JDK reports the underflow
     * (HotSpot: IllegalStateException "pin underflow"). It costs that exception: call it only where a
     * StackOverflowError was seen.
     */
    static int unpinLeaked(Thread self) {
        if (UNPIN == null || !self.isVirtual()) {
            return 0;
        }
        int undone = 0;
        try {
            while (undone < 1024) { // a bound, should a JDK ever stop reporting the underflow
                UNPIN.invokeExact(self);
                undone++;
            }
        } catch (IllegalStateException underflow) {
            // the count is 0: done
        } catch (Throwable e) {
            // not this JDK's contract any more: leave it
        }
        return undone;
    }

    private static MethodHandle unpinHandle() {
        try {
            Class<?> virtual = Class.forName("java.lang.VirtualThread");
            return MethodHandles.privateLookupIn(virtual, MethodHandles.lookup())
                    .findVirtual(virtual, "enableSuspendAndPreempt", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Thread.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another JDK: no repair
        }
    }

    private static Thread.Builder.OfVirtual newBuilder(Executor scheduler) {
        try {
            return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("cannot create a virtual thread with a custom scheduler", e);
        }
    }
}
