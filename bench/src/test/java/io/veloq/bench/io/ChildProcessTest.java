package io.veloq.bench.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildProcessTest {

    @Test
    void awaitsALineThenKillsTheChildAndItsDescendants() throws Exception {
        // The shell starts a sleeping grandchild that ignores its input, so only destroyForcibly ends it.
        ChildProcess child = ChildProcess.start("sleeper", List.of("/bin/sh", "-c",
                "sleep 600 & echo chatter; echo READY 42; wait"));
        List<ProcessHandle> family;
        try {
            assertEquals("READY 42", child.awaitLine("READY ", Duration.ofSeconds(20)));
            family = awaitDescendants(child);
        } finally {
            child.stop(Duration.ofMillis(100));
        }
        assertFalse(child.isAlive());
        for (ProcessHandle p : family) {
            assertFalse(p.isAlive(), "descendant " + p.pid() + " survived");
        }
        assertTrue(child.output().contains("chatter"));
        child.close(); // a second stop does nothing
    }

    @Test
    void aChildThatEndsWithoutTheLineIsAnErrorNotAHang() throws Exception {
        try (ChildProcess child = ChildProcess.start("quitter", List.of("/bin/sh", "-c", "echo bye; exit 3"))) {
            IOException e = assertThrows(IOException.class, () -> child.awaitLine("LISTENING ", Duration.ofSeconds(20)));
            assertTrue(e.getMessage().contains("LISTENING"), e.getMessage());
            assertEquals(OptionalInt.of(3), child.waitFor(Duration.ofSeconds(20)));
            assertEquals("bye", child.outputTail(1));
        }
    }

    @Test
    void aChildThatNeverPrintsTheLineTimesOut() throws Exception {
        ChildProcess child = ChildProcess.start("silent", List.of("/bin/sh", "-c", "exec sleep 600"));
        try {
            IOException e = assertThrows(IOException.class, () -> child.awaitLine("LISTENING ", Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains("within"), e.getMessage());
        } finally {
            child.stop(Duration.ofMillis(100)); // sleep ignores end of input: this is the forcible path
        }
        assertFalse(child.isAlive());
    }

    @Test
    void aChildExitingOnEndOfInputStopsWithinTheGrace() throws Exception {
        ChildProcess child = ChildProcess.start("cat", List.of("/bin/cat"));
        child.stop(Duration.ofSeconds(20));
        assertEquals(OptionalInt.of(0), child.waitFor(Duration.ofSeconds(1)));
    }

    private static List<ProcessHandle> awaitDescendants(ChildProcess child) throws InterruptedException {
        ProcessHandle self = ProcessHandle.of(child.pid()).orElseThrow();
        for (int i = 0; i < 200; i++) {
            List<ProcessHandle> family = self.descendants().toList();
            if (!family.isEmpty()) {
                return family;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the shell never started its sleeping child");
    }
}
