package io.veloq.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what Veloq logs on {@code io.veloq.core} (its {@link System.Logger}, backed by
 * java.util.logging in the test JVM) while open, instead of letting it reach stderr, so a test can
 * assert on an expected warning and the build output stays free of expected noise.
 *
 * <p>Use with try-with-resources; {@link #close()} restores the logger. Public because tests of
 * sub-packages ({@code io.veloq.core.driver}) use it too.
 *
 * <p>Threading: records arrive from any thread (workers log); the list is concurrent.
 */
public final class LogCapture implements AutoCloseable {

    /** The logger Veloq's core logs to. */
    public static final String CORE_LOGGER = "io.veloq.core";

    /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger would lose this configuration. */
    private final Logger logger;
    private final boolean parentHandlers;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String name) {
        this.logger = Logger.getLogger(name);
        this.parentHandlers = logger.getUseParentHandlers();
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    /** Starts capturing {@link #CORE_LOGGER}. */
    public static LogCapture core() {
        return new LogCapture(CORE_LOGGER);
    }

    /** Records so far, in arrival order. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** Messages of the records at exactly {@code level}, in arrival order. */
    public List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(parentHandlers);
    }
}
