package io.veloq.bench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.bench.Better;
import io.veloq.bench.Metric;
import io.veloq.bench.Report;
import io.veloq.bench.RunSettings;
import io.veloq.bench.Scenario;
import io.veloq.bench.Suite;
import io.veloq.bench.Suites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoSuiteTest {

    private final Suite suite = Suites.byName("io").orElseThrow();

    @Test
    void coversTheIssueScenariosWithVeloqFirstAndTheirUnits() {
        assertEquals(List.of(IoSuite.FILE, IoSuite.FILE_DIRECT, IoSuite.ECHO_64, IoSuite.ECHO_4K,
                        IoSuite.ECHO_64K_READ_1K),
                suite.scenarios().stream().map(Scenario::name).toList());
        for (Scenario s : suite.scenarios()) {
            assertEquals(s.name(), s.metrics().getFirst().name());
            if (s.variants().isEmpty()) {
                continue; // O_DIRECT refused where the tests run: the scenario is skipped, as the header says
            }
            assertEquals(Report.VELOQ, s.variants().getFirst(), s.name());
            assertEquals(s.variants().size(), new HashSet<>(s.variants()).size(), s.name() + " has duplicate variants");
        }
        Scenario file = suite.scenarios().get(0);
        assertEquals(List.of("veloq", "filechannel_vt", "async_filechannel", "fio"), file.variants());
        assertEquals(List.of(new Metric(IoSuite.FILE, "ops/s", Better.HIGHER)), file.metrics());
        Scenario echo = suite.scenarios().get(2);
        assertEquals(List.of("veloq", "netty_epoll", "netty_io_uring", "jdk_vt_sockets"), echo.variants());
        assertEquals(List.of(new Metric(IoSuite.ECHO_64, "msgs/s", Better.HIGHER),
                new Metric(IoSuite.ECHO_P99_64, "us", Better.LOWER)), echo.metrics());
        assertEquals(64, ((EchoScenario) echo).messageBytes());
        assertEquals(4096, ((EchoScenario) suite.scenarios().get(3)).messageBytes());
    }

    @Test
    void theDirectScenarioIsSkippedWithItsReasonWhereODirectIsRefused(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        DataFile refused = new DataFile(notADirectory.resolve("data"), 1 << 20);
        FileRandReadScenario direct = new FileRandReadScenario(IoSuite.FILE_DIRECT, true, refused);
        assertEquals(List.of(), direct.variants());
        assertTrue(direct.skipReason().startsWith(IoSuite.FILE_DIRECT + " skipped: O_DIRECT refused"),
                direct.skipReason());
        assertTrue(IoSuite.environment(refused, direct).contains(direct.skipReason()));
        FileRandReadScenario buffered = new FileRandReadScenario(IoSuite.FILE, false, refused);
        assertEquals(FileRandReadScenario.VARIANTS, buffered.variants());
        assertNull(buffered.skipReason());
    }

    @Test
    void quickRunsFitTheBudgetAndFullRunsRepeat() {
        IoRunSettings quick = IoRunSettings.of(RunSettings.quick(false));
        IoRunSettings full = IoRunSettings.of(RunSettings.full(false));
        assertEquals(1, quick.runs());
        assertEquals(3, full.runs());
        assertEquals(Duration.ofSeconds(8), quick.warmup().plus(quick.measure()));
        assertTrue(full.measure().compareTo(quick.measure()) > 0);
        assertEquals(java.lang.Runtime.getRuntime().availableProcessors(), quick.workers());
        assertEquals("1 run of 3 s warm-up + 5 s measured", quick.describeTiming());
    }
}
