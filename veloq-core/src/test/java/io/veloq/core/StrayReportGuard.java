package io.veloq.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which something reached the JVM's default uncaught-exception handler.
 *
 * <p>A runtime built without a handler reports a failure nobody observed to the JVM's default
 * handler when there is one (else it prints it). Tests that expect reports give their runtime an
 * {@link UncaughtReports}; everywhere else a report is a failure nobody expected — a task that threw,
 * a timer action, an internal error, a helper thread that died — so this guard, registered for
 * every core test class by auto-detection ({@code junit-platform.properties}), installs itself as
 * the default handler and fails the current test (or class, for reports made during
 * {@code @AfterAll}) with each stray report's stack trace.
 *
 * <p>Threading: {@link #HANDLER} from any thread; the callbacks on JUnit's thread.
 */
public final class StrayReportGuard implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final ConcurrentLinkedQueue<String> STRAY = new ConcurrentLinkedQueue<>();

    private static final Thread.UncaughtExceptionHandler HANDLER = (thread, failure) -> {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        STRAY.add("in " + thread.getName() + ": " + text);
    };

    /** Public, with a public constructor: ServiceLoader instantiates it. */
    public StrayReportGuard() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Thread.setDefaultUncaughtExceptionHandler(HANDLER);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnStrayReports();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnStrayReports();
    }

    private static void failOnStrayReports() {
        List<String> reports = new ArrayList<>();
        for (String r; (r = STRAY.poll()) != null; ) {
            reports.add(r);
        }
        if (!reports.isEmpty()) {
            throw new AssertionError(reports.size() + " unexpected report(s) to the default uncaught-exception handler:\n"
                    + String.join("\n", reports));
        }
    }
}
