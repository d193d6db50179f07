package io.veloq.bench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Veloq echo server's optional diagnostics: with {@value EchoServerDiagnostics#FILE_PROPERTY} set,
 * closing the server appends one line per worker whose counts add up to what the load generator saw.
 * Functional only: no timing is asserted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EchoServerDiagnosticsTest {

    private static final Pattern COUNTS = Pattern.compile("^worker (\\d+): (\\d+) connections, (\\d+) messages");

    @Test
    void summaryCountsEveryConnectionAndMessage(@TempDir Path dir) throws Exception {
        RandomReadsTest.assumeUringFor("veloq");
        Path file = dir.resolve("diag.txt");
        System.setProperty(EchoServerDiagnostics.FILE_PROPERTY, file.toString());
        EchoLoadGenerator.Result result;
        try (EchoServer server = EchoServer.of("veloq")) {
            InetSocketAddress address = server.start(2, 16 * 1024);
            result = EchoLoadGenerator.run(new EchoLoadGenerator.Config(address, 6, 64, 2, Duration.ofMillis(50),
                    Duration.ofMillis(100), 20));
        } finally {
            System.clearProperty(EchoServerDiagnostics.FILE_PROPERTY);
        }
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(0).startsWith("== veloq echo server"), lines.get(0));
        assertEquals(3, lines.size(), String.join("\n", lines));
        long connections = 0;
        long messages = 0;
        for (int w = 0; w < 2; w++) {
            String line = lines.get(1 + w);
            Matcher m = COUNTS.matcher(line);
            assertTrue(m.find(), line);
            assertEquals(w, Integer.parseInt(m.group(1)));
            long here = Long.parseLong(m.group(2));
            connections += here;
            messages += Long.parseLong(m.group(3));
            assertTrue(line.contains("eagerCompletedInline="), line);
            assertEquals(3, here, "the accept loop deals 6 connections to 2 workers in turn: " + line);
            assertTrue(line.contains("write us p50"), line);
        }
        assertEquals(6, connections);
        // the server also counts warm-up echoes, and the last echo of each connection may be in flight
        assertTrue(messages >= result.messages(), messages + " server-side vs " + result.messages() + " measured");
    }
}
