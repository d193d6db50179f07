package io.veloq.uring.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test scenario in a process that RLIMIT_MEMLOCK applies to, as a user's runtime meets it
 * through the builder and the driver factory — where the limit cannot be handed in.
 *
 * <p>In this JVM when the limit applies here already: the process lacks CAP_IPC_LOCK (which lifts
 * the limit, see {@link IpcLockCapability}) and RLIMIT_MEMLOCK is at most {@link #MAX_LIMIT}.
 * Otherwise — root, as on CI, or an unlimited limit — in a child JVM made into such a process:
 * <ul>
 *   <li>without CAP_IPC_LOCK: started through {@code setpriv} (util-linux), which drops it from
 *       the bounding, inheritable and ambient sets, so that execve leaves it out of the permitted
 *       and effective sets, for root too;</li>
 *   <li>with the soft RLIMIT_MEMLOCK lowered to {@link #CHILD_LIMIT} through {@code prlimit}
 *       (util-linux) when it is above {@link #MAX_LIMIT} here. Lowering needs no privilege.</li>
 * </ul>
 * The child checks both before running the scenario, so a scenario never passes vacuously under a
 * lifted limit, and a missing tool fails the test naming the package to install rather than
 * skipping it. The child gets this JVM's flags and class path; its output is the failure message.
 *
 * <p>Threading: called from a test thread; the child is bounded ({@link #BOUND_SECONDS}) and
 * killed if the test ends first.
 */
public final class MemlockLimited {

    /** A scenario: checks its assertions under {@code limit}, the limit the runtime will meet. */
    public interface Scenario {
        void run(long limit) throws Exception;
    }

    /** The largest limit a scenario runs under: some build a runtime with one worker per 512 KiB of it. */
    static final long MAX_LIMIT = 64L << 20;
    /** The limit of a child JVM whose parent's is above {@link #MAX_LIMIT}: the kernel's default. */
    static final long CHILD_LIMIT = 8L << 20;
    private static final long BOUND_SECONDS = 40;
    private static final String PASSED = "MEMLOCK-SCENARIO-PASSED ";

    private MemlockLimited() {}

    /**
     * Runs {@code scenario} (instantiated through its no-argument constructor) here or in a child
     * JVM, failing with what it threw or printed.
     */
    public static void run(Class<? extends Scenario> scenario) throws Exception {
        boolean exempt = IpcLockCapability.heldByThisProcess();
        long rlimit = MemlockBudget.rlimit();
        if (!exempt && rlimit <= MAX_LIMIT) {
            instantiate(scenario.getName()).run(RegisteredBufferPool.memlockLimit());
            return;
        }
        List<String> command = new ArrayList<>();
        if (exempt) {
            command.addAll(List.of(tool("setpriv", "this process holds CAP_IPC_LOCK (root?), which lifts "
                    + "RLIMIT_MEMLOCK, so the scenario runs in a child JVM without it"),
                    "--inh-caps", "-ipc_lock", "--ambient-caps", "-ipc_lock", "--bounding-set", "-ipc_lock"));
        }
        if (rlimit > MAX_LIMIT) {
            command.addAll(List.of(tool("prlimit", "RLIMIT_MEMLOCK is " + MemlockBudget.format(rlimit)
                    + " here, so the scenario runs in a child JVM with a lower one"),
                    "--memlock=" + CHILD_LIMIT + ":")); // "soft:" sets the soft limit only
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(),
                scenario.getName()));
        Result result = runBounded(command);
        String context = "scenario " + scenario.getName() + " in a child JVM (" + String.join(" ", command.subList(0,
                command.indexOf("-cp"))) + " ...) printed:\n" + result.output;
        assertEquals(0, result.exitCode, context);
        assertTrue(result.output.contains(PASSED + scenario.getName()), context);
    }

    /** The main class of the child JVM: {@code args[0]} names the scenario class. Exits 0 when it passed. */
    public static final class Child {
        public static void main(String[] args) {
            int status = 1;
            try {
                long limit = RegisteredBufferPool.memlockLimit();
                if (IpcLockCapability.heldByThisProcess() || limit > MAX_LIMIT) {
                    throw new AssertionError("the child JVM was to run without CAP_IPC_LOCK under a limit of at most "
                            + MemlockBudget.format(MAX_LIMIT) + ", but holds CAP_IPC_LOCK: "
                            + IpcLockCapability.heldByThisProcess() + ", locked-memory limit "
                            + MemlockBudget.format(limit) + ", RLIMIT_MEMLOCK " + MemlockBudget.format(
                                    MemlockBudget.rlimit()) + "\n" + capabilityLines());
                }
                System.out.println("child JVM: RLIMIT_MEMLOCK " + MemlockBudget.format(limit) + ", no CAP_IPC_LOCK");
                instantiate(args[0]).run(limit);
                System.out.println(PASSED + args[0]);
                status = 0;
            } catch (Throwable t) {
                t.printStackTrace(System.out);
            }
            System.out.flush();
            System.exit(status); // a runtime the scenario failed to close must not keep the child alive
        }
    }

    private static Scenario instantiate(String className) throws ReflectiveOperationException {
        Constructor<? extends Scenario> constructor = Class.forName(className).asSubclass(Scenario.class)
                .getDeclaredConstructor();
        constructor.setAccessible(true); // scenarios are private nested classes of their tests
        return constructor.newInstance();
    }

    /**
     * This JVM's own options — under Maven the surefire argLine: Veloq's JVM flags and the test
     * arguments — without a debugger agent, whose port the child could not bind again.
     */
    private static List<String> jvmFlags() {
        List<String> flags = new ArrayList<>();
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!flag.startsWith("-agentlib:jdwp") && !flag.startsWith("-Xrunjdwp")) {
                flags.add(flag);
            }
        }
        return flags;
    }

    private static String tool(String name, String why) {
        List<Path> dirs = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                dirs.add(Path.of(dir));
            }
        }
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            dirs.add(Path.of(dir));
        }
        Optional<Path> found = dirs.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            throw new AssertionError(why + ", started through " + name + ", which is not installed (looked in PATH, "
                    + "/usr/bin, /bin, /usr/sbin, /sbin). Install util-linux, which provides setpriv and prlimit "
                    + "(Debian/Ubuntu/Fedora: util-linux; Alpine: setpriv and util-linux-misc).");
        }
        return found.get().toString();
    }

    private static String capabilityLines() {
        try {
            StringBuilder lines = new StringBuilder();
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cap") || line.startsWith("Uid")) {
                    lines.append(line).append('\n');
                }
            }
            return lines.toString();
        } catch (IOException e) {
            return "/proc/self/status unreadable: " + e;
        }
    }

    private record Result(int exitCode, String output) {}

    /**
     * Runs {@code command} with stdout and stderr merged, read while it runs (a child that fills the
     * pipe would otherwise block and look hung); a child that outlives the bound is killed.
     */
    private static Result runBounded(List<String> command) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread drain = Thread.ofPlatform().name("memlock-child-output").start(() -> {
            try (InputStream in = child.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the child was killed: what was read so far is the output
            }
        });
        try {
            if (!child.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                drain.join(TimeUnit.SECONDS.toMillis(10));
                throw new AssertionError("the child JVM did not end within " + BOUND_SECONDS + " s: " + command
                        + "\nIt printed:\n" + out.toString(StandardCharsets.UTF_8));
            }
            drain.join(TimeUnit.SECONDS.toMillis(10));
            return new Result(child.exitValue(), out.toString(StandardCharsets.UTF_8)); // synchronized with the drain
        } finally {
            child.destroyForcibly(); // no-op once it has ended; kills it if the test thread was interrupted (@Timeout)
        }
    }
}
