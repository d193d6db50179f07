package io.veloq.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An uncaught-exception handler for test runtimes: instead of printing what the runtime reports
 * (task failures nobody observed when they happened, failed timer actions, internal errors), it
 * keeps the reports so that the test can check them.
 *
 * <p>A report is accounted for when the test
 * <ul>
 *   <li>waited for it ({@link #await}): a report the test requires;</li>
 *   <li>took the same failure from a task's handle ({@link #joined}): the runtime reports a failure
 *       when nobody observed the handle at the moment of failure, so a join that came later may or
 *       may not have been preceded by a report — either is fine;</li>
 *   <li>or declared a whole class of reports expected ({@link #acceptAll}), for tests where many
 *       tasks fail on purpose (interrupted by {@code shutdownNow}).</li>
 * </ul>
 * {@link #assertNoneUnexpected()} fails, with every stray report's stack trace, if any other report
 * arrived. The runtime reports a task's failure before the task counts as ended, so after
 * {@code awaitTermination} returned true every report has arrived.
 *
 * <p>Threading: {@link #uncaughtException} from any runtime thread, the rest from the test and its
 * tasks; every method synchronizes on this object.
 */
final class UncaughtReports implements Thread.UncaughtExceptionHandler {

    /** One report: the thread it was made on (a task's is named {@code veloq task '<name>'}) and the failure. */
    record Report(String thread, Throwable failure) {
        @Override
        public String toString() {
            StringWriter text = new StringWriter();
            failure.printStackTrace(new PrintWriter(text));
            return "in " + thread + ": " + text;
        }
    }

    private final List<Report> reports = new ArrayList<>();
    private final Set<Report> accounted = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Throwable> joined = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Predicate<Report>> acceptedKinds = new ArrayList<>();

    @Override
    public synchronized void uncaughtException(Thread thread, Throwable failure) {
        reports.add(new Report(thread.getName(), failure));
        notifyAll();
    }

    /** The test took {@code failure} from a task's handle: a report of that same object is fine. */
    synchronized void joined(Throwable failure) {
        joined.add(failure);
    }

    /** Every report matching {@code kind}, earlier or later, is expected. */
    synchronized void acceptAll(Predicate<Report> kind) {
        acceptedKinds.add(kind);
    }

    /**
     * Waits (bounded by {@link TestSupport#WAIT_SECONDS}) for a report matching {@code matches} that
     * no earlier {@code await} took, and returns it; fails naming {@code what} if none comes.
     */
    synchronized Report await(String what, Predicate<Report> matches) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestSupport.WAIT_SECONDS);
        while (true) {
            for (Report r : reports) {
                if (!accounted.contains(r) && matches.test(r)) {
                    accounted.add(r);
                    return r;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no report of " + what + " within " + TestSupport.WAIT_SECONDS
                        + " s; reports: " + reports);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Every report so far, in arrival order. */
    synchronized List<Report> all() {
        return List.copyOf(reports);
    }

    /** Fails, listing them with their stack traces, if any report is not accounted for (see the class comment). */
    synchronized void assertNoneUnexpected() {
        List<Report> unexpected = reports.stream()
                .filter(r -> !accounted.contains(r) && !joined.contains(r.failure())
                        && acceptedKinds.stream().noneMatch(kind -> kind.test(r)))
                .toList();
        if (!unexpected.isEmpty()) {
            throw new AssertionError(unexpected.size() + " unexpected report(s) to the runtime's uncaught-exception "
                    + "handler:\n" + unexpected.stream().map(Report::toString).collect(Collectors.joining("\n")));
        }
    }
}
