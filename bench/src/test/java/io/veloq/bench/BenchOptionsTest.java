package io.veloq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void parsesSuiteAndFlags() {
        BenchOptions o = BenchOptions.parse(List.of("core", "--quick", "--only", "skynet,mesh_pingpong",
                "--variants", "veloq", "--verbose"));
        assertEquals("core", o.suite());
        assertTrue(o.quick());
        assertTrue(o.verbose());
        assertEquals(Set.of("skynet", "mesh_pingpong"), o.only());
        assertTrue(o.wantsScenario("skynet"));
        assertFalse(o.wantsScenario("spawn_join_local"));
        assertTrue(o.wantsVariant("veloq"));
        assertFalse(o.wantsVariant("fjp"));
    }

    @Test
    void propertiesGoToTheBenchmarkJvmsInOrder() {
        BenchOptions o = BenchOptions.parse(List.of("core", "-Dveloq.bench.driver=portable", "-Da=b=c", "-Dempty="));
        assertEquals(List.of("-Dveloq.bench.driver=portable", "-Da=b=c", "-Dempty="), o.propertyArgs());
        assertEquals("b=c", o.properties().get("a"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("core", "-Dnovalue")));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("core", "-D=x")));
    }

    @Test
    void defaultsSelectEverythingInFullMode() {
        BenchOptions o = BenchOptions.parse(List.of("core"));
        assertFalse(o.quick());
        assertTrue(o.wantsScenario("anything"));
        assertTrue(o.wantsVariant("anything"));
        assertEquals(List.of(), o.propertyArgs());
    }

    @Test
    void badCommandLinesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of()));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("--quick")));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("core", "io")));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("core", "--fast")));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("core", "--only")));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(List.of("core", "--only", "--quick")));
    }
}
