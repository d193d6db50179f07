package io.veloq.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.core.Runtime;
import io.veloq.uring.IoUringDriver;
import io.veloq.uring.ReceiveMode;
import io.veloq.uring.UncaughtReports;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract suites on the io_uring backend (workers with Veloq's io_uring driver); each test
 * assumes io_uring is available and says why when it is not. The TCP, cancellation and echo suites
 * also run with the multishot RECV armed by each stream's first read (by default a stream switches
 * to it only once a read fills its buffer), with the provided-buffer ring off (a RECV per read, the
 * path of kernels before 6.0), with two 64-byte provided buffers (multishot RECVs run the ring dry
 * and are armed again all the time) and with eager sends.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IoUringBackendTest {

    /** The receive variants below would test nothing new if their runtimes took the default path. */
    @Test
    void theReceiveVariantsTakeTheReceivePathTheyName() throws Exception {
        Backend.IO_URING.assume();
        UncaughtReports reports = new UncaughtReports();
        try (Runtime runtime = Backend.IO_URING_RECV_PER_READ.newRuntime(2, reports)) {
            for (int w = 0; w < runtime.workerCount(); w++) {
                assertFalse(runtime.spawnOn(w, () -> IoUringDriver.current().receivesMultishot()).join());
                String description = runtime.spawnOn(w, () -> IoUringDriver.current().description()).join();
                assertTrue(description.contains("a RECV per read (provided buffers turned off)"), description);
            }
        }
        try (Runtime runtime = Backend.IO_URING_ARMED_RECEIVE.newRuntime(2, reports)) {
            assertEquals(ReceiveMode.ARMED, runtime.spawnOn(0, () -> IoUringDriver.current().config().receiveMode()).join());
        }
        try (Runtime runtime = Backend.IO_URING_FEW_RECEIVE_BUFFERS.newRuntime(2, reports)) {
            assertEquals(ReceiveMode.ARMED, runtime.spawnOn(0, () -> IoUringDriver.current().config().receiveMode()).join());
            for (int w = 0; w < runtime.workerCount(); w++) {
                String description = runtime.spawnOn(w, () -> IoUringDriver.current().description()).join();
                boolean multishot = runtime.spawnOn(w, () -> IoUringDriver.current().receivesMultishot()).join();
                // Before Linux 6.0 there is no multishot RECV: the variant then runs the per-read path.
                assertTrue(!multishot || description.contains("multishot RECV, provided buffers 2 x 64 B"), description);
            }
        }
        reports.assertOnlyJoinedFailures();
    }

    @Nested
    class Files extends FileContract {
        Files() {
            super(Backend.IO_URING);
        }
    }

    @Nested
    class Paths extends PathContract {
        Paths() {
            super(Backend.IO_URING);
        }
    }

    @Nested
    class Tcp extends TcpContract {
        Tcp() {
            super(Backend.IO_URING);
        }
    }

    @Nested
    class Udp extends UdpContract {
        Udp() {
            super(Backend.IO_URING);
        }
    }

    @Nested
    class Timers extends TimeContract {
        Timers() {
            super(Backend.IO_URING);
        }
    }

    @Nested
    class Faults extends FaultContract {
        Faults() {
            super(Backend.IO_URING);
        }
    }

    @Nested
    class Cancellation extends CancellationContract {
        Cancellation() {
            super(Backend.IO_URING);
        }
    }

    @Nested
    class EchoStress extends EchoStressContract {
        EchoStress() {
            super(Backend.IO_URING);
        }
    }

    @Nested
    class TcpArmedReceive extends TcpContract {
        TcpArmedReceive() {
            super(Backend.IO_URING_ARMED_RECEIVE);
        }
    }

    @Nested
    class CancellationArmedReceive extends CancellationContract {
        CancellationArmedReceive() {
            super(Backend.IO_URING_ARMED_RECEIVE);
        }
    }

    @Nested
    class EchoStressArmedReceive extends EchoStressContract {
        EchoStressArmedReceive() {
            super(Backend.IO_URING_ARMED_RECEIVE);
        }
    }

    @Nested
    class TcpRecvPerRead extends TcpContract {
        TcpRecvPerRead() {
            super(Backend.IO_URING_RECV_PER_READ);
        }
    }

    @Nested
    class CancellationRecvPerRead extends CancellationContract {
        CancellationRecvPerRead() {
            super(Backend.IO_URING_RECV_PER_READ);
        }
    }

    @Nested
    class EchoStressRecvPerRead extends EchoStressContract {
        EchoStressRecvPerRead() {
            super(Backend.IO_URING_RECV_PER_READ);
        }
    }

    @Nested
    class TcpFewReceiveBuffers extends TcpContract {
        TcpFewReceiveBuffers() {
            super(Backend.IO_URING_FEW_RECEIVE_BUFFERS);
        }
    }

    @Nested
    class CancellationFewReceiveBuffers extends CancellationContract {
        CancellationFewReceiveBuffers() {
            super(Backend.IO_URING_FEW_RECEIVE_BUFFERS);
        }
    }

    @Nested
    class EchoStressFewReceiveBuffers extends EchoStressContract {
        EchoStressFewReceiveBuffers() {
            super(Backend.IO_URING_FEW_RECEIVE_BUFFERS);
        }
    }

    @Nested
    class TcpEagerSends extends TcpContract {
        TcpEagerSends() {
            super(Backend.IO_URING_EAGER_SENDS);
        }
    }

    @Nested
    class UdpEagerSends extends UdpContract {
        UdpEagerSends() {
            super(Backend.IO_URING_EAGER_SENDS);
        }
    }

    @Nested
    class CancellationEagerSends extends CancellationContract {
        CancellationEagerSends() {
            super(Backend.IO_URING_EAGER_SENDS);
        }
    }

    @Nested
    class EchoStressEagerSends extends EchoStressContract {
        EchoStressEagerSends() {
            super(Backend.IO_URING_EAGER_SENDS);
        }
    }
}
