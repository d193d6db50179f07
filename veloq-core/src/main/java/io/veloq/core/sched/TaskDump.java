package io.veloq.core.sched;

import io.veloq.core.driver.Driver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code Runtime.dumpTasks()}: what every worker holds — started tasks (each on a runner, with its
 * thread state and the innermost task it runs inline in a join, if any) and counts of queued ones —
 * with task names, and spawn stacks in debug mode. A worker that has terminated is said so at once.
 *
 * <p>Protocol: a worker's queues and runners are owner-only, so the dump does not read them from
 * the calling thread. It sends each worker a {@link Request} through its injector (a continuation
 * the worker runs on its platform thread between tasks, where it can read its own state) and waits
 * for the answers until a common deadline. A worker that does not answer in time (a task that never
 * yields) is reported as such, with the name of the task it last started.
 */
final class TaskDump {

    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int MAX_FRAMES = 12;

    private TaskDump() {
    }

    static String dump(Scheduler scheduler) {
        Worker[] workers = scheduler.workers;
        List<CompletableFuture<String>> answers = new ArrayList<>(workers.length);
        for (Worker w : workers) {
            Request request = new Request(w);
            answers.add(request.answer);
            if (w.hasTerminated()) { // nobody would ever run the request
                request.answer.complete("worker " + w.index + ": terminated\n");
                continue;
            }
            try {
                w.inject(request);
            } catch (RuntimeException e) {
                request.answer.complete("worker " + w.index + ": cannot be asked (" + e + ")\n");
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("Veloq runtime: ").append(workers.length).append(" workers, state ")
                .append(stateName(scheduler.state())).append(scheduler.debug ? ", debug on" : "").append('\n');
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (Worker w : workers) {
            try {
                out.append(answers.get(w.index).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                Runner last = w.lastStarted();
                SpawnTask<?> task = last != null ? last.current : null;
                out.append("worker ").append(w.index).append(": did not answer within 2 s (busy; last started task: ")
                        .append(task != null ? "'" + task.name + "'" : "unknown").append(")\n");
            } catch (ExecutionException e) {
                out.append("worker ").append(w.index).append(": dump failed: ").append(e.getCause()).append('\n');
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.append("worker ").append(w.index).append(": interrupted while waiting\n");
                break;
            }
        }
        for (Thread t : scheduler.factoryThreads) {
            out.append("factory thread '").append(t.getName()).append("' ").append(t.getState()).append('\n');
        }
        BlockingPool pool = scheduler.blocking();
        out.append("blocking pool: ").append(pool.activeCount()).append(" running, ").append(pool.queuedCount())
                .append(" queued, at most ").append(pool.maxThreads()).append(" threads\n");
        return out.toString();
    }

    /** Owner: the paragraph for one worker. */
    static String describe(Worker w, Driver driver) {
        StringBuilder out = new StringBuilder();
        out.append("worker ").append(w.index).append(" (").append(w.thread.getName())
                .append(w.cpu >= 0 ? ", cpu " + w.cpu : ", unpinned")
                .append(", ").append(driver != null ? driver.description() : "no driver").append("): ")
                .append(w.runners.busy()).append(" started, ")
                .append(w.runQueue.size()).append(" in run queue, ")
                .append(w.stealQueue.size()).append(" stealable, ")
                .append(w.timers.size()).append(" timers, ")
                .append(w.runners.live()).append(" runners (").append(w.runners.idle()).append(" idle)\n");
        w.runners.forEachBusy(r -> {
            SpawnTask<?> task = r.current;
            out.append("  [").append(r.thread.getState()).append("] '").append(task.name).append("'\n");
            appendSpawnSite(out, task);
            SpawnTask<?> inline = r.innermostInline(); // the innermost task this one runs inline in a join
            if (inline != null) {
                out.append("    running inline '").append(inline.name).append("'\n");
                appendSpawnSite(out, inline);
            }
        });
        w.runQueue.forEach(item -> {
            if (item instanceof SpawnTask<?> task) {
                out.append("  [QUEUED] '").append(task.name).append("'\n");
                appendSpawnSite(out, task);
            }
        });
        return out.toString();
    }

    private static void appendSpawnSite(StringBuilder out, SpawnTask<?> task) {
        if (task.spawnSite == null) {
            return;
        }
        StackTraceElement[] frames = task.spawnSite.getStackTrace();
        int first = 0;
        while (first < frames.length && isRuntimeFrame(frames[first])) {
            first++; // the runtime's own frames say nothing about the caller
        }
        for (int i = first; i < Math.min(frames.length, first + MAX_FRAMES); i++) {
            out.append("      spawned at ").append(frames[i]).append('\n');
        }
    }

    static boolean isRuntimeFrame(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.startsWith("io.veloq.core.sched.") || c.equals("io.veloq.core.Runtime");
    }

    private static String stateName(int state) {
        return switch (state) {
            case Scheduler.RUNNING -> "RUNNING";
            case Scheduler.SHUTDOWN -> "SHUTDOWN";
            case Scheduler.STOP -> "STOP";
            case Scheduler.TERMINATING -> "TERMINATING";
            default -> "?" + state;
        };
    }

    /** A continuation-shaped request: runs on the worker's platform thread. */
    private static final class Request implements Runnable {
        final Worker worker;
        final CompletableFuture<String> answer = new CompletableFuture<>();

        Request(Worker worker) {
            this.worker = worker;
        }

        @Override
        public void run() {
            try {
                answer.complete(worker.describe());
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        }
    }
}
