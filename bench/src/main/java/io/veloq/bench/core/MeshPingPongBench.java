package io.veloq.bench.core;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code mesh_pingpong}: one round trip = a message from side A to side B and B's reply back, the
 * two sides on different threads (cores). One operation is {@link #ROUNDS} strictly sequential round
 * trips; score in ns per round trip.
 *
 * <ul>
 *   <li>{@code veloq}: A is a task on worker 0, B a task on worker 1 (both home-bound there). A message
 *       is a sequence number in a volatile field plus {@code LockSupport.unpark} of the parked
 *       receiver: the unpark from one worker makes the runtime hand the receiver's continuation to
 *       its home worker through mesh[0→1] (and back through mesh[1→0]), waking it if it sleeps.
 *       Each operation spawns A on worker 0 and joins it from the benchmark thread (amortized).</li>
 *   <li>{@code spsc_floor}: two platform threads busy-spinning on a pair of JCTools SpscArrayQueues,
 *       the floor any queue hand-off between two cores can reach.</li>
 *   <li>{@code lbq}: two platform threads handing off through a pair of LinkedBlockingQueues
 *       (blocking put/take: park and unpark on every message).</li>
 * </ul>
 * For the baselines A is the benchmark thread itself and B a dedicated platform thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MeshPingPongBench {

    static final int ROUNDS = 5000;

    @Param({"veloq", "spsc_floor", "lbq"})
    public String variant;

    private Side side;

    /** One side of the comparison: {@link #roundTrips(int)} returns after that many round trips. */
    interface Side extends AutoCloseable {
        void roundTrips(int count) throws Exception;

        @Override
        void close();
    }

    @Setup
    public void setUp() {
        side = switch (variant) {
            case "veloq" -> new VeloqPingPong();
            case "spsc_floor" -> new SpscFloor();
            case "lbq" -> new Lbq();
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    @TearDown
    public void tearDown() {
        side.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public void pingPong() throws Exception {
        side.roundTrips(ROUNDS);
    }

    /** The message of the baselines; {@link #STOP} ends the echo thread. */
    private static final Object PING = new Object();
    private static final Object STOP = new Object();

    static final class SpscFloor implements Side {
        private final SpscArrayQueue<Object> ping = new SpscArrayQueue<>(64);
        private final SpscArrayQueue<Object> pong = new SpscArrayQueue<>(64);
        private final Thread echo = Thread.ofPlatform().name("spsc-echo").daemon().start(this::echo);

        private void echo() {
            while (true) {
                Object message;
                while ((message = ping.relaxedPoll()) == null) {
                    Thread.onSpinWait();
                }
                if (message == STOP) {
                    return;
                }
                while (!pong.relaxedOffer(message)) {
                    Thread.onSpinWait();
                }
            }
        }

        @Override
        public void roundTrips(int count) throws TimeoutException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BenchSupport.WAIT_SECONDS);
            for (int i = 0; i < count; i++) {
                ping.relaxedOffer(PING);
                int spins = 0;
                while (pong.relaxedPoll() == null) {
                    Thread.onSpinWait();
                    if ((++spins & 0xFFFF) == 0 && System.nanoTime() > deadline) {
                        throw new TimeoutException("no reply from the echo thread");
                    }
                }
            }
        }

        @Override
        public void close() {
            ping.offer(STOP);
            joinQuietly(echo);
        }
    }

    static final class Lbq implements Side {
        private final BlockingQueue<Object> ping = new LinkedBlockingQueue<>();
        private final BlockingQueue<Object> pong = new LinkedBlockingQueue<>();
        private final Thread echo = Thread.ofPlatform().name("lbq-echo").daemon().start(this::echo);

        private void echo() {
            try {
                Object message;
                while ((message = ping.take()) != STOP) {
                    pong.put(message);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void roundTrips(int count) throws InterruptedException, TimeoutException {
            for (int i = 0; i < count; i++) {
                ping.put(PING);
                if (pong.poll(BenchSupport.WAIT_SECONDS, TimeUnit.SECONDS) == null) {
                    throw new TimeoutException("no reply from the echo thread");
                }
            }
        }

        @Override
        public void close() {
            ping.add(STOP);
            joinQuietly(echo);
        }
    }

    static void joinQuietly(Thread thread) {
        try {
            if (!thread.join(java.time.Duration.ofSeconds(BenchSupport.WAIT_SECONDS))) {
                throw new IllegalStateException(thread + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
