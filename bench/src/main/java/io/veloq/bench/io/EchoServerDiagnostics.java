package io.veloq.bench.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Optional server-side diagnostics of the {@code veloq} echo server, on only when
 * {@value #FILE_PROPERTY} names a file (the runner passes {@code -D} settings to every benchmark JVM):
 * per worker, the connections it serves, the messages it echoed, the spread of messages per
 * connection, and two time histograms —
 * <ul>
 *   <li>{@code read}: from the end of the previous write to the return of the next read, i.e. the
 *       client's think time and the network plus the server's own delay in running the task after
 *       the data arrived;</li>
 *   <li>{@code inbound}: from the client's send (the load generator writes its {@code System.nanoTime()}
 *       into the message) to the return of the server's read — the server's receive path alone: loopback,
 *       the kernel's completion, the task's resumption;</li>
 *   <li>{@code write}: the duration of {@code writeAll} of the echo — on loopback a 64 B send
 *       completes as soon as it is submitted, so this is almost pure scheduling delay: the wait of
 *       the SQE for submission and of the CQE for its task to run again.</li>
 * </ul>
 * With them, the counters of each worker's io_uring driver, taken just before the server closes.
 * The summary is appended to the file when the server closes. Off, it costs one null check per message.
 *
 * <p>Threading: {@link #forWorker} hands each worker its own {@link PerWorker}; a {@code PerWorker}
 * is written only by the tasks of that worker, which run one at a time on its carrier thread (plain
 * fields), except the driver counters, which the closing thread sets from a joined task's result. {@link #writeSummary} runs after the runtime terminated, which orders every write before it.
 */
final class EchoServerDiagnostics {

    /** Names the file the summary is appended to; unset: no diagnostics. */
    static final String FILE_PROPERTY = "veloq.bench.io.diagFile";

    private final Path file;
    private final PerWorker[] workers;

    private EchoServerDiagnostics(Path file, int workerCount) {
        this.file = file;
        this.workers = new PerWorker[workerCount];
        for (int w = 0; w < workerCount; w++) {
            workers[w] = new PerWorker();
        }
    }

    /** Diagnostics for {@code workerCount} workers if {@value #FILE_PROPERTY} is set, else null. */
    static EchoServerDiagnostics fromProperty(int workerCount) {
        String name = System.getProperty(FILE_PROPERTY);
        return name == null || name.isBlank() ? null : new EchoServerDiagnostics(Path.of(name), workerCount);
    }

    PerWorker forWorker(int worker) {
        return workers[worker];
    }

    /** Appends the summary, headed by {@code title}, to the file. */
    void writeSummary(String title) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("== ").append(title).append('\n');
        for (int w = 0; w < workers.length; w++) {
            out.append("worker ").append(w).append(": ").append(workers[w].summary()).append('\n');
        }
        Files.writeString(file, out, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The counters of one worker; see the class comment for its threading. */
    static final class PerWorker {
        private final List<long[]> connections = new ArrayList<>();
        private final LatencyHistogram read = new LatencyHistogram();
        private final LatencyHistogram write = new LatencyHistogram();
        private final LatencyHistogram inbound = new LatencyHistogram();
        private String driverStats = "driver stats not taken";

        /** The driver's counters, taken by a task of this worker before the server closes. */
        void driverStats(String stats) {
            driverStats = stats;
        }

        /**
         * A new connection's counters: [0] its messages, [1] the client's port. The load generator
         * deals connections to its threads round robin in connect order and the kernel gives it
         * ports in order (every other one), so the parity of port / 2 tells (roughly) which client thread drives it.
         */
        long[] connection(int clientPort) {
            long[] counter = {0, clientPort};
            connections.add(counter);
            return counter;
        }

        void recordRead(long nanos) {
            read.record(nanos);
        }

        /** Client's send (the time the message carries) to the server's read returning; same clock, same host. */
        void recordInbound(long nanos) {
            inbound.record(Math.max(0, nanos));
        }

        void recordWrite(long nanos) {
            write.record(nanos);
        }

        String summary() {
            long total = 0;
            long min = Long.MAX_VALUE;
            long max = 0;
            long[] byParity = new long[2];
            int[] connectionsByParity = new int[2];
            for (long[] c : connections) {
                total += c[0];
                int parity = (int) ((c[1] >>> 1) & 1); // connect() takes every other port
                byParity[parity] += c[0];
                connectionsByParity[parity]++;
                min = Math.min(min, c[0]);
                max = Math.max(max, c[0]);
            }
            return String.format(Locale.ROOT, "%d connections, %d messages, per connection %d..%d (mean: client "
                            + "port/2 even %d over %d connections, odd %d over %d); %s; %s; %s; %s",
                    connections.size(), total, connections.isEmpty() ? 0 : min, max,
                    byParity[0] / Math.max(1, connectionsByParity[0]), connectionsByParity[0],
                    byParity[1] / Math.max(1, connectionsByParity[1]), connectionsByParity[1],
                    describe("read", read), describe("inbound", inbound), describe("write", write), driverStats)
                    + "; messages per connection, sorted: " + java.util.Arrays.toString(
                            connections.stream().mapToLong(c -> c[0]).sorted().toArray());
        }

        private static String describe(String name, LatencyHistogram h) {
            if (h.count() == 0) {
                return name + " none";
            }
            return String.format(Locale.ROOT, "%s us p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f", name,
                    h.percentile(50) / 1e3, h.percentile(90) / 1e3, h.percentile(99) / 1e3,
                    h.percentile(99.9) / 1e3, h.max() / 1e3);
        }
    }
}
