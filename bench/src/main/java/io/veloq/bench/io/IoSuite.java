package io.veloq.bench.io;

import io.netty.util.Version;
import io.veloq.bench.Better;
import io.veloq.bench.Metric;
import io.veloq.bench.RunSettings;
import io.veloq.bench.Suite;
import io.veloq.uring.IoUring;
import java.util.ArrayList;
import java.util.List;

/** {@code bench/run io}: the scenarios of the io_uring issue, section 8, in the order they are printed. */
public final class IoSuite {

    static final String FILE = "file_randread_4k";
    static final String FILE_DIRECT = "file_randread_4k_direct";
    static final String ECHO_64 = "tcp_echo_64b_c100";
    static final String ECHO_P99_64 = "tcp_echo_p99_64b_c100";
    static final String ECHO_4K = "tcp_echo_4k_c100";
    static final String ECHO_64K_READ_1K = "tcp_echo_64k_read1k_c100";

    private IoSuite() {
    }

    public static Suite suite() {
        DataFile data = DataFile.fromProperties();
        FileRandReadScenario direct = new FileRandReadScenario(FILE_DIRECT, true, data);
        return new Suite("io", "io_uring files and TCP against JDK channels, Netty and fio", List.of(
                new FileRandReadScenario(FILE, false, data),
                direct,
                new EchoScenario(ECHO_64, 64, List.of(new Metric(ECHO_64, "msgs/s", Better.HIGHER),
                        new Metric(ECHO_P99_64, "us", Better.LOWER))),
                new EchoScenario(ECHO_4K, 4096, List.of(new Metric(ECHO_4K, "msgs/s", Better.HIGHER))),
                // A stream read in pieces: every 64 KiB message takes the servers 64 reads of 1 KiB.
                new EchoScenario(ECHO_64K_READ_1K, 64 * 1024, 1024,
                        List.of(new Metric(ECHO_64K_READ_1K, "msgs/s", Better.HIGHER)))),
                () -> environment(data, direct));
    }

    /** The header lines: what each side runs on, the data file, and anything skipped, with why. */
    static String environment(DataFile data, FileRandReadScenario direct) {
        List<String> lines = new ArrayList<>();
        IoRunSettings quick = IoRunSettings.of(RunSettings.quick(false));
        IoRunSettings full = IoRunSettings.of(RunSettings.full(false));
        lines.add("io suite, measured outside JMH (the per-variant line above does not apply): N=" + quick.workers()
                + " Veloq workers / Netty event loops / virtual-thread carriers / fio jobs on every side; per variant "
                + quick.describeTiming() + " (quick) or " + full.describeTiming() + " (full)");
        lines.add("veloq: " + (IoUring.isAvailable() ? "io_uring available"
                : "io_uring UNAVAILABLE (" + IoUring.unavailabilityReason().orElse("?") + "): the veloq variants fail"));
        Version netty = Version.identify().get("netty-transport");
        lines.add("netty " + (netty == null ? "version unknown" : netty.artifactVersion()) + "; "
                + Fio.version().map(v -> v + " (io_uring engine, fixedbufs)").orElse("fio NOT INSTALLED: the fio variants fail"));
        lines.add("data file " + data.path() + ", " + data.bytes() / (1 << 20) + " MiB on " + data.fileSystemType()
                + (data.bytes() != DataFile.DEFAULT_MIB << 20 ? " (not the issue's 1 GiB: -D" + DataFile.SIZE_PROPERTY
                + " says so)" : "") + ", " + FileRandReadScenario.DEPTH + " reads in flight per worker");
        String skipped = direct.skipReason();
        lines.add(skipped != null ? skipped : "O_DIRECT allowed there: " + FILE_DIRECT + " runs");
        lines.add("tcp echo: " + EchoScenario.CONNECTIONS + " connections on 127.0.0.1, one message in flight each, one "
                + "load-generator JVM (NIO selectors) for every server, each server in its own JVM; servers read up to "
                + EchoScenario.DEFAULT_READ_BYTES / 1024 + " KiB at a time, 1 KiB in " + ECHO_64K_READ_1K);
        return String.join(System.lineSeparator() + "  ", lines);
    }
}
