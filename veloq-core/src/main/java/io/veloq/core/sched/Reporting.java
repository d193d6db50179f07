package io.veloq.core.sched;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where failures go: the runtime's uncaught-exception handler (default: the JVM's default
 * handler, else one write to stderr) and the {@code io.veloq.core} system logger.
 *
 * <p>The rule for task failures: a failure is kept in the task's handle; it is also reported when
 * the task has no handle ({@code execute}) or nobody observed the handle when the task failed (see
 * {@code SpawnTask.run}). Internal failures (a continuation, a timer action, a driver) are logged and
 * reported. A handler that throws is ignored, like the JDK ignores one: a report must not take the
 * worker down.
 *
 * <p>Threading: any thread.
 */
final class Reporting {

    private static final System.Logger LOG = System.getLogger("io.veloq.core");

    private final Thread.UncaughtExceptionHandler handler;
    private final AtomicBoolean pinningWarned = new AtomicBoolean();

    Reporting(Thread.UncaughtExceptionHandler handler) {
        this.handler = handler != null ? handler : Reporting::defaultReport;
    }

    Thread.UncaughtExceptionHandler handler() {
        return handler;
    }

    /** A task failed and nobody observed its handle: the handler sees it on the task's thread. */
    void reportUncaught(SpawnTask<?> task, Thread thread, Throwable failure) {
        if (task.spawnSite != null) {
            failure.addSuppressed(task.spawnSite);
        }
        String name = thread.getName();
        try {
            thread.setName("veloq task '" + task.name + "'"); // the handler sees the task's name
            handler.uncaughtException(thread, failure);
        } catch (Throwable ignored) {
            // a failing handler must not take the worker down
        } finally {
            thread.setName(name);
        }
    }

    /** An internal failure: logged and passed to the handler. */
    void reportError(String what, Throwable failure) {
        LOG.log(System.Logger.Level.ERROR, "Veloq: " + what, failure);
        try {
            handler.uncaughtException(Thread.currentThread(), failure);
        } catch (Throwable ignored) {
            // see reportUncaught
        }
    }

    /** Something went wrong and was repaired: logged only. */
    void warn(String message) {
        LOG.log(System.Logger.Level.WARNING, "Veloq: " + message);
    }

    /** One warning per runtime, however many workers could not pin. */
    void warnPinningOnce(int worker, String why) {
        if (pinningWarned.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "Veloq: CPU pinning refused for worker " + worker
                    + " (" + why + "); workers run unpinned where pinning fails");
        }
    }

    private static void defaultReport(Thread thread, Throwable failure) {
        Thread.UncaughtExceptionHandler global = Thread.getDefaultUncaughtExceptionHandler();
        if (global != null) {
            global.uncaughtException(thread, failure);
        } else {
            StringWriter text = new StringWriter();
            failure.printStackTrace(new PrintWriter(text));
            System.err.print("Exception in " + thread.getName() + ": " + text); // one write: reports do not interleave
        }
    }
}
