package io.veloq.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags Veloq needs, checked when a runtime starts so that a missing one fails at once with
 * a message naming it, instead of a reflective or native-access error deep inside a worker.
 *
 * <ul>
 *   <li>{@code --add-opens java.base/java.lang=ALL-UNNAMED}: the virtual-thread scheduler hook
 *       ({@code io.veloq.core.sched.VirtualThreads}).</li>
 *   <li>{@code --enable-native-access=ALL-UNNAMED}: FFM downcalls ({@code sched_setaffinity} for
 *       pinning; the io_uring driver). On JDK 25 a missing flag only warns on first use, but JDK
 *       releases are turning that warning into an error, so Veloq requires it now.</li>
 *   <li>{@code --sun-misc-unsafe-memory-access=allow}: JCTools and Agrona use {@code
 *       sun.misc.Unsafe} memory access. JDK 25's default ("warn") prints a warning on first use
 *       and later JDKs deny it, so Veloq requires the flag to be given. An explicit {@code warn} or
 *       {@code debug} is accepted (the user asked for the diagnostics); {@code deny} is not.</li>
 * </ul>
 * With Veloq on the module path, {@code ALL-UNNAMED} becomes the name of the module Veloq is in
 * (derived from its jar's file name, as Veloq has no module descriptor); the message names the
 * exact value to add.
 */
final class JvmFlags {

    private JvmFlags() {
    }

    /** @throws IllegalStateException naming every missing flag */
    static void check() {
        Module self = JvmFlags.class.getModule();
        List<String> missing = missing(
                Object.class.getModule().isOpen("java.lang", self),
                self.isNativeAccessEnabled(),
                System.getProperty("sun.misc.unsafe.memory.access"),
                self.isNamed() ? self.getName() : "ALL-UNNAMED");
        if (!missing.isEmpty()) {
            throw new IllegalStateException(message(missing));
        }
    }

    /** The flags missing for the given observations, in command-line form. */
    static List<String> missing(boolean javaLangOpen, boolean nativeAccess, String unsafeMemoryAccess, String target) {
        List<String> missing = new ArrayList<>();
        if (!javaLangOpen) {
            missing.add("--add-opens java.base/java.lang=" + target);
        }
        if (!nativeAccess) {
            missing.add("--enable-native-access=" + target);
        }
        if (unsafeMemoryAccess == null || !List.of("allow", "warn", "debug").contains(unsafeMemoryAccess)) {
            missing.add("--sun-misc-unsafe-memory-access=allow");
        }
        return missing;
    }

    static String message(List<String> missing) {
        return "Veloq cannot start: the JVM was started without " + (missing.size() == 1 ? "this flag" : "these flags")
                + ": " + String.join(" ", missing)
                + " — add " + (missing.size() == 1 ? "it" : "them") + " to the java command line (see README, 'JVM flags')";
    }
}
