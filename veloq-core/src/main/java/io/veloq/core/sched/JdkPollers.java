package io.veloq.core.sched;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JDK pitfall (DESIGN.md): on Linux, JDK 25's default {@code jdk.pollerMode} runs the NIO
 * sub-pollers as virtual threads created with {@code Thread.ofVirtual()} in {@code
 * sun.nio.ch.Poller}'s static initialiser; they inherit the scheduler of the thread that first
 * touches the poller. Touched first inside a Veloq task, they would live on that worker — and die
 * with its runtime, leaving every later socket read in the JVM hanging. So the runtime initialises
 * the class on a platform thread before any task runs; the pollers then live on the JDK's default
 * scheduler ({@code PollerPitfallTest} checks it in a fresh JVM).
 *
 * <p>Threading: any thread; idempotent.
 */
final class JdkPollers {

    private static final AtomicBoolean READY = new AtomicBoolean();
    private static final System.Logger LOG = System.getLogger("io.veloq.core");

    private JdkPollers() {
    }

    static void initialise() {
        if (READY.get()) {
            return;
        }
        Runnable init = () -> {
            try {
                Class.forName("sun.nio.ch.Poller", true, null);
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.log(System.Logger.Level.DEBUG, "Veloq: no sun.nio.ch.Poller to initialise: " + e);
            }
        };
        if (Thread.currentThread().isVirtual()) {
            Lifecycle.joinQuietly(Thread.ofPlatform().name("veloq-poller-init").start(init)); // never a carrier's child
        } else {
            init.run();
        }
        READY.set(true);
    }
}
