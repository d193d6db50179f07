package io.veloq.uring;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * The uncaught-exception handler the test runtimes of this module are built with: instead of printing what the
 * runtime reports (task failures nobody observed at the moment they happened, internal failures),
 * it keeps the reports for the test to check.
 *
 * <p>The rule checked after each test ({@link #assertOnlyJoinedFailures()}): a report is expected
 * only when it is a failure the test itself took from the task's handle ({@link #joined}); the
 * report then only says the join came after the failure. Any other report — a task failing with
 * nobody looking, an internal error — fails the test, with its stack trace in the message.
 *
 * <p>Threading: {@link #uncaughtException} from any runtime thread; the rest from the test
 * (and its tasks). Both collections are concurrent.
 */
public final class UncaughtReports implements Thread.UncaughtExceptionHandler {

    /** One report: the thread it was made on (a task's is named {@code veloq task '<name>'}) and the failure. */
    public record Report(String thread, Throwable failure) {}

    private final ConcurrentLinkedQueue<Report> reports = new ConcurrentLinkedQueue<>();
    private final Set<Throwable> joined = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    @Override
    public void uncaughtException(Thread thread, Throwable failure) {
        reports.add(new Report(thread.getName(), failure));
    }

    /** The test took {@code failure} from a task's handle: a report of that same object is expected. */
    public void joined(Throwable failure) {
        joined.add(failure);
    }

    /** Reports so far, in arrival order. */
    public List<Report> all() {
        return new ArrayList<>(reports);
    }

    /** Fails, listing them with their stack traces, if any report is not a failure the test joined. */
    public void assertOnlyJoinedFailures() {
        List<Report> unexpected = reports.stream().filter(r -> !joined.contains(r.failure())).toList();
        if (!unexpected.isEmpty()) {
            throw new AssertionError(unexpected.size() + " unexpected report(s) to the runtime's uncaught-exception "
                    + "handler (failures no test code observed):\n"
                    + unexpected.stream().map(UncaughtReports::describe).collect(Collectors.joining("\n")));
        }
    }

    private static String describe(Report report) {
        StringWriter text = new StringWriter();
        report.failure().printStackTrace(new PrintWriter(text));
        return "in " + report.thread() + ": " + text;
    }
}
