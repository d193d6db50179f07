package io.veloq.bench.io;

import io.veloq.bench.ForkedProbeScenario;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The echo load generator: one process, the same for every server, that opens the connections,
 * keeps one message in flight on each (closed loop: the next message leaves as soon as the echo of
 * the previous one is complete) and reports the messages per second and the round-trip percentiles
 * of the measured phase.
 *
 * <p>Run as a probe ({@link ForkedProbeScenario}) in its own JVM:
 * {@code EchoLoadGenerator <server-variant> <host> <port> <connections> <message-bytes> <threads>
 * <warmup-ms> <measure-ms> <throughput-metric> [<p99-metric>]}; prints {@code RESULT <throughput-metric>
 * <msgs/s>} and, when named, {@code RESULT <p99-metric> <µs>}. Exit status 1 when a connection fails
 * or an echo differs from what was sent.
 *
 * <p>Steps: connect every connection (blocking, 10 s timeout each) before any message is sent, so
 * accept costs stay out of the figures; deal them round-robin to {@code threads} selector loops
 * ({@link EchoClientLoop}); warm up; measure; stop; join the loops; merge their histograms.
 */
public final class EchoLoadGenerator {

    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final long JOIN_TIMEOUT_MS = 10_000;

    private EchoLoadGenerator() {
    }

    /**
     * @param server       where the echo server listens
     * @param connections  connections, each with one message in flight
     * @param messageBytes bytes per message, at least {@value EchoClientLoop#MIN_MESSAGE_BYTES}
     * @param threads      selector loops sharing the connections
     * @param minPerConnection 0 for a benchmark (the measured phase lasts {@code measure}); above 0, the
     *                     measured phase lasts at least {@code measure} and until every connection has
     *                     completed that many messages, or {@link #MIN_WAIT} has passed — so a functional
     *                     check does not depend on the speed of the machine
     */
    record Config(InetSocketAddress server, int connections, int messageBytes, int threads, Duration warmup,
                  Duration measure, long minPerConnection) {
        Config {
            if (connections < 1 || threads < 1 || warmup.isNegative() || measure.isNegative() || measure.isZero()
                    || minPerConnection < 0) {
                throw new IllegalArgumentException("bad load: " + connections + " connections, " + threads
                        + " threads, warm-up " + warmup + ", measure " + measure + ", min " + minPerConnection);
            }
        }

        /** A benchmark run: the measured phase lasts exactly {@code measure}. */
        Config(InetSocketAddress server, int connections, int messageBytes, int threads, Duration warmup,
               Duration measure) {
            this(server, connections, messageBytes, threads, warmup, measure, 0);
        }
    }

    /** Longest extension of the measured phase while connections lack their minimum of messages. */
    static final Duration MIN_WAIT = Duration.ofSeconds(60);

    /**
     * What one run measured.
     *
     * @param messages     echoes completed in the measured phase, over all connections
     * @param seconds      length of the measured phase
     * @param rtt          their round-trip times in nanoseconds
     * @param perConnection messages each connection completed in the measured phase
     */
    record Result(long messages, double seconds, LatencyHistogram rtt, long[] perConnection) {

        double messagesPerSecond() {
            return messages / seconds;
        }

        double percentileMicros(double p) {
            return rtt.percentile(p) / 1000.0;
        }

        String summary() {
            long min = Arrays.stream(perConnection).min().orElse(0);
            long max = Arrays.stream(perConnection).max().orElse(0);
            return String.format(Locale.ROOT, "%d messages in %.3f s = %.0f msgs/s; per connection %d..%d; "
                            + "rtt us: mean %.1f, p50 %.1f, p90 %.1f, p99 %.1f, p99.9 %.1f, max %.1f",
                    messages, seconds, messagesPerSecond(), min, max, rtt.mean() / 1000.0, percentileMicros(50),
                    percentileMicros(90), percentileMicros(99), percentileMicros(99.9), rtt.max() / 1000.0);
        }
    }

    static Result run(Config config) throws IOException, InterruptedException {
        LoadPhase phase = new LoadPhase();
        List<EchoClientLoop> loops = new ArrayList<>();
        for (int i = 0; i < config.threads(); i++) {
            loops.add(new EchoClientLoop(i, config.messageBytes(), config.minPerConnection(), phase));
        }
        List<SocketChannel> opened = new ArrayList<>();
        try {
            for (int id = 0; id < config.connections(); id++) {
                SocketChannel channel = SocketChannel.open();
                opened.add(channel);
                try {
                    channel.socket().connect(config.server(), CONNECT_TIMEOUT_MS);
                } catch (IOException e) {
                    throw new IOException("connection " + id + " of " + config.connections() + " to " + config.server()
                            + " failed: " + e, e);
                }
                loops.get(id % loops.size()).add(id, channel);
            }
        } catch (IOException | RuntimeException e) {
            for (SocketChannel c : opened) {
                c.close();
            }
            throw e;
        }
        loops.forEach(EchoClientLoop::start);

        sleepUnlessAborted(phase, config.warmup());
        phase.set(LoadPhase.MEASURE);
        long start = System.nanoTime();
        sleepUnlessAborted(phase, config.measure());
        if (config.minPerConnection() > 0) {
            long deadline = System.nanoTime() + MIN_WAIT.toNanos();
            while (!phase.aborted() && phase.satisfied() < config.connections() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        phase.set(LoadPhase.DONE);
        long end = System.nanoTime();

        for (EchoClientLoop loop : loops) {
            if (!loop.join(JOIN_TIMEOUT_MS)) {
                throw new IllegalStateException("client loop did not stop within " + JOIN_TIMEOUT_MS + " ms");
            }
        }
        for (EchoClientLoop loop : loops) {
            if (loop.failure() != null) {
                throw new IOException("echo load failed: " + loop.failure(), loop.failure());
            }
        }
        LatencyHistogram rtt = new LatencyHistogram();
        long[] perConnection = new long[0];
        for (EchoClientLoop loop : loops) {
            rtt.add(loop.histogram());
            long[] counts = loop.counts();
            long[] merged = Arrays.copyOf(perConnection, perConnection.length + counts.length);
            System.arraycopy(counts, 0, merged, perConnection.length, counts.length);
            perConnection = merged;
        }
        if (rtt.count() == 0) {
            throw new IllegalStateException("no echo completed in the measured " + config.measure());
        }
        return new Result(rtt.count(), (end - start) / 1e9, rtt, perConnection);
    }

    /** Sleeps for {@code duration}, in slices, returning early when a loop aborts the run. */
    private static void sleepUnlessAborted(LoadPhase phase, Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        long left;
        while (!phase.aborted() && (left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Duration.ofNanos(Math.min(left, 50_000_000L)));
        }
    }

    public static void main(String[] args) {
        if (args.length != 9 && args.length != 10) {
            System.err.println("usage: EchoLoadGenerator <server-variant> <host> <port> <connections> <message-bytes>"
                    + " <threads> <warmup-ms> <measure-ms> <throughput-metric> [<p99-metric>]");
            System.exit(2);
        }
        int status = 0;
        try {
            Config config = new Config(new InetSocketAddress(args[1], Integer.parseInt(args[2])),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    Duration.ofMillis(Long.parseLong(args[6])), Duration.ofMillis(Long.parseLong(args[7])));
            System.out.printf(Locale.ROOT, "echo load on %s server at %s: %d connections x %d B, %d client threads, "
                            + "warm-up %d ms, measured %d ms%n", args[0], config.server(), config.connections(),
                    config.messageBytes(), config.threads(), config.warmup().toMillis(), config.measure().toMillis());
            Result result = run(config);
            System.out.println(result.summary());
            System.out.printf(Locale.ROOT, "%s%s %.1f%n", ForkedProbeScenario.RESULT_PREFIX, args[8],
                    result.messagesPerSecond());
            if (args.length == 10) {
                System.out.printf(Locale.ROOT, "%s%s %.2f%n", ForkedProbeScenario.RESULT_PREFIX, args[9],
                        result.percentileMicros(99));
            }
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }
}
