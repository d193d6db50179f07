package io.veloq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForkedProbeScenarioTest {

    @Test
    void bareResultLineCountsForTheDefaultMetricAndTheLastLineWins() {
        assertEquals(Map.of("parked_task_bytes", 812.5), ForkedProbeScenario.parseResults(
                "warming up\nRESULT 1.0\nnoise\nRESULT 812.5\n", "parked_task_bytes"));
    }

    @Test
    void namedResultLinesGiveOneScorePerMetric() {
        assertEquals(Map.of("tcp_echo", 120000.0, "tcp_echo_p99", 85.5), ForkedProbeScenario.parseResults(
                "RESULT tcp_echo 120000\nRESULT tcp_echo_p99 85.5\n", "tcp_echo"));
    }

    @Test
    void linesWithoutANumberAreIgnored() {
        assertEquals(Map.of(), ForkedProbeScenario.parseResults("no result here\nRESULT lots\nRESULT a b c\n", "x"));
        assertEquals(Map.of("x", 2.0), ForkedProbeScenario.parseResults("RESULT 2\nRESULT x many\n", "x"));
    }

    @Test
    void aProbeScenarioNeedsAMetric() {
        assertThrows(IllegalArgumentException.class, () -> new ForkedProbeScenario("p", Object.class, List.of(),
                List.of("veloq", "b"), List.of(), List.of(), 10));
    }
}
