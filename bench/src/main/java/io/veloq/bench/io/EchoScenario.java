package io.veloq.bench.io;

import io.veloq.bench.ForkedProbeScenario;
import io.veloq.bench.Measurement;
import io.veloq.bench.Metric;
import io.veloq.bench.RunSettings;
import io.veloq.bench.Scenario;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP echo scenarios: {@value #CONNECTIONS} connections over loopback, one message of
 * {@code messageBytes} in flight on each, against each {@link EchoServer} variant; metrics are the
 * messages per second and, optionally, the p99 round-trip time of the same runs.
 *
 * <p>Per variant:
 * <ol>
 *   <li>Start the server in its own JVM ({@link EchoServerMain}; the settings' JVM arguments, plus
 *       the variant's own: the virtual-thread parallelism for {@code jdk_vt_sockets}, leak
 *       detection off for Netty) and wait for its {@code LISTENING <port>} line.</li>
 *   <li>Run the load generator ({@link EchoLoadGenerator}) in another JVM, the same for every server,
 *       once per probe run, through {@link ForkedProbeScenario}.</li>
 *   <li>Check the server is still alive (a server that died mid-run fails the variant), then stop it
 *       ({@link ChildProcess#stop}: end of input, then destroyForcibly of it and its descendants,
 *       checked) — in a finally block, so no server outlives its variant; one that cannot be killed
 *       fails the variant with its pid.</li>
 * </ol>
 *
 * <p>Threading: the runner's main thread only.
 */
final class EchoScenario implements Scenario {

    static final int CONNECTIONS = 100;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    /** The servers' read size when a scenario does not choose one: more than any message holds. */
    static final int DEFAULT_READ_BYTES = 16 * 1024;

    private final String name;
    private final int messageBytes;
    private final int readBytes;
    private final List<Metric> metrics;

    /**
     * @param metrics the throughput metric (msgs/s), then optionally the p99 metric (µs)
     */
    EchoScenario(String name, int messageBytes, List<Metric> metrics) {
        this(name, messageBytes, Math.max(messageBytes, DEFAULT_READ_BYTES), metrics);
    }

    /**
     * @param readBytes the most each server read takes ({@link EchoServer#start}): below the message
     *                  size, the servers take every message in several reads
     * @param metrics   the throughput metric (msgs/s), then optionally the p99 metric (µs)
     */
    EchoScenario(String name, int messageBytes, int readBytes, List<Metric> metrics) {
        if (metrics.isEmpty() || metrics.size() > 2) {
            throw new IllegalArgumentException(name + ": a throughput metric and at most a p99 metric");
        }
        this.name = name;
        this.messageBytes = messageBytes;
        this.readBytes = readBytes;
        this.metrics = List.copyOf(metrics);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> variants() {
        return EchoServer.VARIANTS;
    }

    /** Loopback TCP and page-cache reads drift with the machine's state: runs alternate between variants. */
    @Override
    public boolean interleavesRuns() {
        return true;
    }

    @Override
    public List<Metric> metrics() {
        return metrics;
    }

    int messageBytes() {
        return messageBytes;
    }

    @Override
    public List<Measurement> run(String variant, RunSettings settings) {
        IoRunSettings run = IoRunSettings.of(settings);
        ChildProcess server = null;
        List<Measurement> results;
        String stopProblem = null;
        try {
            server = ChildProcess.start(name + " " + variant + " server", serverCommand(variant, settings, run));
            String listening = server.awaitLine(EchoServerMain.LISTENING_PREFIX, START_TIMEOUT);
            int port = Integer.parseInt(listening.substring(EchoServerMain.LISTENING_PREFIX.length()).strip());
            System.out.println("    " + server.awaitLine(EchoServerMain.SERVER_PREFIX, START_TIMEOUT).strip());
            results = new ForkedProbeScenario(name, EchoLoadGenerator.class, loadArgs(port, run), List.of(variant),
                    List.of(), metrics, run.processTimeoutSeconds()).run(variant, settings);
            if (!server.isAlive()) {
                results = failed(variant, "the " + variant + " server exited during the run", server);
            }
        } catch (IOException | RuntimeException e) {
            results = failed(variant, "echo server: " + e.getMessage(), server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            results = failed(variant, "interrupted", server);
        } finally {
            stopProblem = stop(server);
        }
        if (stopProblem != null) {
            System.out.println("!!! " + stopProblem);
            String why = stopProblem;
            return metrics.stream().map(m -> m.failed(variant, why)).toList();
        }
        return results;
    }

    /** Stops the server; null when it and its descendants are gone, else the problem. */
    private static String stop(ChildProcess server) {
        if (server == null) {
            return null;
        }
        try {
            server.stop(STOP_GRACE);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while stopping server pid " + server.pid() + "; check that it is gone";
        }
    }

    private List<Measurement> failed(String variant, String why, ChildProcess server) {
        if (server != null) {
            System.out.println("---- output of " + name + " " + variant + " server (last 40 lines) ----");
            System.out.println(server.outputTail(40));
            System.out.println("---- end of server output ----");
        }
        return metrics.stream().map(m -> m.failed(variant, why)).toList();
    }

    private List<String> serverCommand(String variant, RunSettings settings, IoRunSettings run) {
        List<String> command = new ArrayList<>();
        command.add(RunSettings.javaLauncher().toString());
        command.addAll(settings.jvmArgs());
        switch (variant) {
            case "jdk_vt_sockets" -> command.add("-D" + JdkVtEchoServer.PARALLELISM + "=" + run.workers());
            // Leak detection samples buffers to find leaks in development; benchmarks turn it off.
            case "netty_epoll", "netty_io_uring" -> command.add("-Dio.netty.leakDetection.level=disabled");
            default -> {
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EchoServerMain.class.getName());
        command.add(variant);
        command.add(Integer.toString(run.workers()));
        command.add(Integer.toString(readBytes));
        // The server's own bound: every run of the load generator plus start-up, then it stops itself.
        long maxSeconds = run.runs() * run.processTimeoutSeconds() + START_TIMEOUT.toSeconds();
        command.add(Long.toString(maxSeconds));
        return command;
    }

    private List<String> loadArgs(int port, IoRunSettings run) {
        List<String> args = new ArrayList<>(List.of(InetAddress.getLoopbackAddress().getHostAddress(),
                Integer.toString(port), Integer.toString(CONNECTIONS), Integer.toString(messageBytes),
                Integer.toString(run.clientThreads()), Long.toString(run.warmup().toMillis()),
                Long.toString(run.measure().toMillis())));
        for (Metric m : metrics) {
            args.add(m.name());
        }
        return args;
    }
}
