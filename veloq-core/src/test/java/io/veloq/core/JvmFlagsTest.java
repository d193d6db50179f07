package io.veloq.core;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class JvmFlagsTest {

    @Test
    void nothingMissingWhenAllFlagsAreGiven() {
        assertEquals(List.of(), JvmFlags.missing(true, true, "allow", "ALL-UNNAMED"));
        assertEquals(List.of(), JvmFlags.missing(true, true, "warn", "ALL-UNNAMED"));
        assertDoesNotThrow(JvmFlags::check); // this test JVM runs with the flags
    }

    @Test
    void everyMissingFlagIsNamedExactly() {
        assertEquals(List.of("--add-opens java.base/java.lang=ALL-UNNAMED",
                        "--enable-native-access=ALL-UNNAMED",
                        "--sun-misc-unsafe-memory-access=allow"),
                JvmFlags.missing(false, false, null, "ALL-UNNAMED"));
        assertEquals(List.of("--enable-native-access=io.veloq.core"), JvmFlags.missing(true, false, "allow", "io.veloq.core"));
        assertEquals(List.of("--sun-misc-unsafe-memory-access=allow"), JvmFlags.missing(true, true, "deny", "ALL-UNNAMED"));
        String message = JvmFlags.message(JvmFlags.missing(false, true, "allow", "ALL-UNNAMED"));
        assertTrue(message.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), message);
    }

    /** Starts a JVM without Veloq's flags: the runtime's start fails naming all three of them. */
    @Test
    void aJvmWithoutTheFlagsFailsAtStartNamingThem() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String out = ProbeJvm.run(List.of(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        assertTrue(out.contains("REJECTED: Veloq cannot start"), out);
        assertTrue(out.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), out);
        assertTrue(out.contains("--enable-native-access=ALL-UNNAMED"), out);
        assertTrue(out.contains("--sun-misc-unsafe-memory-access=allow"), out);
    }

    /** Main class of the probe JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            try (Runtime rt = Runtime.builder().workers(1).build()) {
                System.out.println("STARTED " + rt);
            } catch (IllegalStateException e) {
                System.out.println("REJECTED: " + e.getMessage());
            }
        }
    }
}
