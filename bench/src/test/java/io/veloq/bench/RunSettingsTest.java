package io.veloq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunSettingsTest {

    @Test
    void forksGetTheVeloqFlagsOfTheBuild() {
        List<String> flags = RunSettings.veloqFlags();
        assertTrue(flags.contains("--add-opens"), flags.toString());
        assertTrue(flags.contains("java.base/java.lang=ALL-UNNAMED"), flags.toString());
        assertTrue(flags.stream().anyMatch(f -> f.startsWith("--enable-native-access")), flags.toString());
        List<String> args = RunSettings.quick(false).jvmArgs();
        assertEquals(flags, args.subList(0, flags.size()), "Veloq flags come first");
        assertTrue(args.containsAll(RunSettings.HEAP_ARGS), args.toString());
    }

    @Test
    void quickIsOneShortForkAndFullMeasuresMore() {
        RunSettings quick = RunSettings.quick(false);
        RunSettings full = RunSettings.full(false);
        assertEquals(1, quick.forks());
        assertTrue(full.forks() > quick.forks());
        assertTrue(full.measureIterations() * full.measureSeconds() > quick.measureIterations() * quick.measureSeconds());
        assertTrue(full.probeRuns() > quick.probeRuns());
    }

    @Test
    void extraJvmArgsComeLast() {
        RunSettings quick = RunSettings.quick(false);
        List<String> args = quick.withJvmArgs(List.of("-Dx=y")).jvmArgs();
        assertEquals(quick.jvmArgs(), args.subList(0, args.size() - 1));
        assertEquals("-Dx=y", args.getLast());
    }

    @Test
    void nonsenseSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new RunSettings(true, 0, 1, 1, 1, 1, 1, List.of(), false));
    }

    @Test
    void splitsOnAnyWhitespace() {
        assertEquals(List.of("-a", "-b"), RunSettings.split("  -a \t -b "));
        assertEquals(List.of(), RunSettings.split("  "));
    }
}
