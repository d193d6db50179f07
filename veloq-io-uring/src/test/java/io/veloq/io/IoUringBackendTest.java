package io.veloq.io;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

/** The contract suites on the io_uring backend (workers with Veloq's io_uring driver); each test assumes io_uring is available and says why when it is not. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IoUringBackendTest {

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
}
