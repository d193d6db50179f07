package io.veloq.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe main class in a child JVM and returns what it printed (stdout and stderr merged).
 *
 * <p>The output is read while the child runs (a child that fills the pipe would otherwise block
 * and look hung), and a child that does not end within the bound is killed: a test must never
 * leave a JVM behind.
 */
final class ProbeJvm {

    private static final long BOUND_SECONDS = 40;

    private ProbeJvm() {
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread drain = Thread.ofPlatform().name("probe-output").start(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the child was killed: what was read so far is the output
            }
        });
        try {
            if (!p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                drain.join(TimeUnit.SECONDS.toMillis(10));
                throw new AssertionError("probe JVM did not end within " + BOUND_SECONDS + " s; it printed:\n"
                        + text(out));
            }
            drain.join(TimeUnit.SECONDS.toMillis(10));
            return text(out);
        } finally {
            p.destroyForcibly(); // no-op once it has ended; kills it if the test thread was interrupted (@Timeout)
        }
    }

    private static String text(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8); // synchronized with the drain's writes
    }
}
