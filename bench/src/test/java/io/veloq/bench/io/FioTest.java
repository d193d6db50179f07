package io.veloq.bench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FioTest {

    /** The start of a real fio-3.33 terse v3 line (io_uring, 2 jobs, group reporting), then disk stats. */
    private static final String TERSE = "3;fio-3.33;randread;0;0;12189352;6079477;1519837;2005;0;32060;1.107279;"
            + "59.046605;1;32110;40.785935;350.506612;1.000000%=21;5.000000%=22;10.000000%=22;99.000000%=37;"
            + "0%=0;0;0;0.000000;0.000000;vda;2;5;0;11;0;1;10;0.13%";

    @Test
    void readIopsIsTheEighthFieldOfTheTerseLine() throws IOException {
        assertEquals(1519837.0, Fio.readIops(TERSE));
        assertEquals(1519837.0, Fio.readIops("fio: note: both iodepth >= 1 and synchronous I/O engine\n" + TERSE + "\n"));
    }

    @Test
    void anErrorFieldOrAMissingLineIsAFailureThatSaysWhy() {
        String failed = TERSE.replaceFirst("randread;0;0;", "randread;0;5;");
        assertTrue(assertThrows(IOException.class, () -> Fio.readIops(failed)).getMessage().contains("error 5"));
        assertTrue(assertThrows(IOException.class, () -> Fio.readIops("fio: pid=1, err=2/file:filesetup.c"))
                .getMessage().contains("no terse"));
        String noReads = TERSE.replaceFirst(";1519837;", ";0;");
        assertTrue(assertThrows(IOException.class, () -> Fio.readIops(noReads)).getMessage().contains("no reads"));
        String garbled = TERSE.replaceFirst(";1519837;", ";many;");
        assertTrue(assertThrows(IOException.class, () -> Fio.readIops(garbled)).getMessage().contains("many"));
    }

    @Test
    void theJobMirrorsTheJavaSides() {
        RandomReads.Setup setup = new RandomReads.Setup(Path.of("/data/f.dat"), 1 << 30, 2, 32, true);
        List<String> command = Fio.command(setup, Duration.ofSeconds(3), Duration.ofSeconds(5));
        assertEquals("fio", command.getFirst());
        for (String option : List.of("--filename=/data/f.dat", "--size=1073741824", "--readonly", "--ioengine=io_uring",
                "--fixedbufs=1", "--rw=randread", "--bs=4096", "--iodepth=32", "--numjobs=2", "--direct=1",
                "--invalidate=0", "--norandommap", "--randrepeat=0", "--time_based", "--ramp_time=3", "--runtime=5",
                "--group_reporting", "--output-format=terse", "--terse-version=3")) {
            assertTrue(command.contains(option), option + " missing from " + command);
        }
        RandomReads.Setup buffered = new RandomReads.Setup(Path.of("/data/f.dat"), 1 << 30, 2, 32, false);
        assertTrue(Fio.command(buffered, Duration.ZERO, Duration.ofSeconds(5)).contains("--direct=0"));
    }
}
