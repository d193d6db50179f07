package io.veloq.bench.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process the io suite starts (an echo server JVM, fio) and always ends: its merged output is
 * drained by a daemon thread into a bounded tail (so a chatty child never blocks on a full pipe),
 * a caller can wait for a line with a given prefix, and {@link #close} ends it and every descendant
 * it started, then checks that none is left.
 *
 * <p>Ending, in order: close the child's standard input (a well-behaved child exits on end of
 * input), wait up to the grace period, then {@code destroyForcibly} the child and each descendant,
 * wait for them, and throw if any is still alive — so a run never leaves a stray server behind
 * without saying so.
 *
 * <p>Threading: one owner thread calls the methods; the drain thread writes the tail (guarded by
 * its monitor) and completes the line futures.
 */
final class ChildProcess implements AutoCloseable {

    private static final int TAIL_LINES = 400;
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private boolean closed;

    private record Waiter(String prefix, CompletableFuture<String> line) {
    }

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread.ofPlatform().daemon(true).name("drain-" + name).start(this::drain);
    }

    /** Starts {@code command} with standard error merged into standard output. */
    static ChildProcess start(String name, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildProcess(name, process);
    }

    private void drain() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (this) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                    for (Waiter w : waiters) {
                        if (!w.line().isDone() && line.startsWith(w.prefix())) {
                            w.line().complete(line);
                        }
                    }
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                tail.addLast("(output unreadable: " + e + ")");
            }
        } finally {
            synchronized (this) {
                for (Waiter w : waiters) {
                    w.line().completeExceptionally(new IOException(name + " ended its output before printing '"
                            + w.prefix() + "...'"));
                }
            }
            drained.complete(null);
        }
    }

    /**
     * Waits for the first line starting with {@code prefix} (printed before or after this call).
     *
     * @throws IOException if the output ends first, or the timeout passes (the message says which)
     */
    String awaitLine(String prefix, Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<String> line = new CompletableFuture<>();
        synchronized (this) {
            for (String earlier : tail) {
                if (earlier.startsWith(prefix)) {
                    return earlier;
                }
            }
            if (drained.isDone()) {
                throw new IOException(name + " ended its output before printing '" + prefix + "...'");
            }
            waiters.add(new Waiter(prefix, line));
        }
        try {
            return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(name + " printed no '" + prefix + "...' line within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Waits for the process to exit; its exit status, or empty if it is still running after the timeout. */
    OptionalInt waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return OptionalInt.empty();
        }
        try {
            drained.get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS); // the last lines are in the tail
        } catch (ExecutionException | TimeoutException e) {
            // output still open (a descendant holds the pipe): the tail may miss the last lines
        }
        return OptionalInt.of(process.exitValue());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** The whole captured output (its last {@value #TAIL_LINES} lines). */
    synchronized String output() {
        return String.join(System.lineSeparator(), tail);
    }

    /** The last {@code lines} lines of output. */
    synchronized String outputTail(int lines) {
        List<String> all = new ArrayList<>(tail);
        return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Ends the process (see the class comment), waiting up to {@code grace} for it to exit on its own
     * after its input is closed.
     *
     * @throws IllegalStateException if the process or a descendant is still alive afterwards
     */
    void stop(Duration grace) throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the child already closed its end: it is exiting
        }
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        family.addAll(process.descendants().toList());
        for (ProcessHandle descendant : family) {
            descendant.destroyForcibly();
        }
        List<String> survivors = new ArrayList<>();
        if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            survivors.add(Long.toString(process.pid()));
        }
        for (ProcessHandle descendant : family) {
            try {
                descendant.onExit().get(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                if (descendant.isAlive()) {
                    survivors.add(Long.toString(descendant.pid()));
                }
            }
        }
        if (!survivors.isEmpty()) {
            throw new IllegalStateException(name + ": process(es) " + survivors + " still alive after destroyForcibly;"
                    + " kill them by hand");
        }
    }

    /** {@link #stop} with a grace of 10 s. */
    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(10));
    }
}
