package io.veloq.io;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

/** The contract suites on the portable backend (workers with the portable driver, JDK channels). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PortableBackendTest {

    @Nested
    class Files extends FileContract {
        Files() {
            super(Backend.PORTABLE);
        }
    }

    @Nested
    class Paths extends PathContract {
        Paths() {
            super(Backend.PORTABLE);
        }
    }

    @Nested
    class Tcp extends TcpContract {
        Tcp() {
            super(Backend.PORTABLE);
        }
    }

    @Nested
    class Udp extends UdpContract {
        Udp() {
            super(Backend.PORTABLE);
        }
    }

    @Nested
    class Timers extends TimeContract {
        Timers() {
            super(Backend.PORTABLE);
        }
    }

    @Nested
    class Faults extends FaultContract {
        Faults() {
            super(Backend.PORTABLE);
        }
    }

    @Nested
    class Cancellation extends CancellationContract {
        Cancellation() {
            super(Backend.PORTABLE);
        }
    }

    @Nested
    class EchoStress extends EchoStressContract {
        EchoStress() {
            super(Backend.PORTABLE);
        }
    }
}
