package io.veloq.uring.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compiles {@code native/probe/layout_probe.c} with the system C compiler, runs it, and compares
 * every struct size, member offset and member size, and every constant, with the hand-written
 * Java bindings. Any difference in either direction fails the test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LayoutProbeTest {

    private static final List<Class<?>> LAYOUT_CLASSES = List.of(IoUringLayouts.class, PosixLayouts.class);
    private static final List<Class<?>> CONSTANT_CLASSES =
            List.of(IoUringConstants.class, PosixConstants.class, Errno.class);

    /** struct name -> member path -> {offset, size}; the struct's own size under "". */
    private static final Map<String, Map<String, List<Long>>> C_STRUCTS = new TreeMap<>();
    private static final Map<String, Long> C_CONSTANTS = new TreeMap<>();

    @BeforeAll
    static void runProbe() throws Exception {
        Path source = findProbeSource();
        Optional<String> compiler = findCompiler();
        Assumptions.assumeTrue(compiler.isPresent(),
                "no C compiler (cc, gcc or clang) on PATH: cannot compile " + source
                        + " to check the hand-written layouts; install gcc to run this check");
        Path outDir = Path.of("target", "layout-probe");
        Files.createDirectories(outDir);
        Path binary = outDir.resolve("layout_probe");
        String compileLog = run(List.of(compiler.get(), "-std=gnu11", "-Wall", "-Werror", "-o",
                binary.toString(), source.toString()));
        String output = run(List.of(binary.toAbsolutePath().toString()));
        assertTrue(compileLog.isBlank(), "compiler output: " + compileLog);
        parse(output);
    }

    @Test
    void everyStructMatchesTheCompiler() {
        Map<String, Map<String, List<Long>>> java = new TreeMap<>();
        for (Class<?> holder : LAYOUT_CLASSES) {
            for (Field field : holder.getDeclaredFields()) {
                if (isConstant(field) && StructLayout.class.isAssignableFrom(field.getType())) {
                    StructLayout layout = (StructLayout) read(field);
                    String name = layout.name().orElseThrow(() -> new AssertionError(field + " has no struct name"));
                    Map<String, List<Long>> members = new TreeMap<>();
                    members.put("", List.of(0L, layout.byteSize()));
                    flatten(layout, 0, "", members, name);
                    java.put(name, members);
                }
            }
        }
        List<String> differences = new ArrayList<>();
        compare("struct", java, C_STRUCTS, differences);
        assertEquals(List.of(), differences, "Java layouts differ from the C compiler's");
        assertTrue(java.size() >= 17, "expected every bound struct to be checked, got " + java.keySet());
    }

    @Test
    void everyConstantMatchesTheHeaders() {
        Map<String, Long> java = new TreeMap<>();
        List<String> differences = new ArrayList<>();
        for (Class<?> holder : CONSTANT_CLASSES) {
            for (Field field : holder.getDeclaredFields()) {
                if (!isConstant(field) || !Modifier.isPublic(field.getModifiers())) {
                    continue;
                }
                if (field.getType() == int.class) {
                    java.put(field.getName(), (long) (int) read(field));
                } else if (field.getType() == long.class) {
                    java.put(field.getName(), (long) read(field));
                }
            }
        }
        for (Map.Entry<String, Long> e : java.entrySet()) {
            Long c = C_CONSTANTS.get(e.getKey());
            if (c == null) {
                differences.add(e.getKey() + ": declared in Java, not printed by the probe");
            } else if (!sameBits(e.getKey(), e.getValue(), c)) {
                differences.add(e.getKey() + ": Java " + e.getValue() + ", C " + c);
            }
        }
        for (String name : C_CONSTANTS.keySet()) {
            if (!java.containsKey(name)) {
                differences.add(name + ": printed by the probe, not declared in Java");
            }
        }
        assertEquals(List.of(), differences, "Java constants differ from the C headers");
        assertTrue(java.size() > 250, "expected every constant to be checked, got " + java.size());
    }

    /** int constants hold the low 32 bits of unsigned C values such as ~0U or 1U << 31. */
    private static boolean sameBits(String name, long java, long c) {
        return java == c || (isIntConstant(name) && (int) java == (int) c);
    }

    private static boolean isIntConstant(String name) {
        for (Class<?> holder : CONSTANT_CLASSES) {
            try {
                return holder.getField(name).getType() == int.class;
            } catch (NoSuchFieldException ignored) {
                // try the next holder
            }
        }
        return false;
    }

    private static void compare(String what, Map<String, Map<String, List<Long>>> java,
                                Map<String, Map<String, List<Long>>> c, List<String> differences) {
        for (String struct : java.keySet()) {
            Map<String, List<Long>> cMembers = c.get(struct);
            if (cMembers == null) {
                differences.add(what + " " + struct + ": declared in Java, not printed by the probe");
                continue;
            }
            Map<String, List<Long>> jMembers = java.get(struct);
            for (Map.Entry<String, List<Long>> m : jMembers.entrySet()) {
                List<Long> cm = cMembers.get(m.getKey());
                String label = struct + (m.getKey().isEmpty() ? "" : "." + m.getKey());
                if (cm == null) {
                    differences.add(label + ": declared in Java, not printed by the probe");
                } else if (!cm.equals(m.getValue())) {
                    differences.add(label + ": Java {offset, size} " + m.getValue() + ", C " + cm);
                }
            }
            for (String member : cMembers.keySet()) {
                if (!jMembers.containsKey(member)) {
                    differences.add(struct + "." + member + ": printed by the probe, missing in the Java layout");
                }
            }
        }
        for (String struct : c.keySet()) {
            if (!java.containsKey(struct)) {
                differences.add(what + " " + struct + ": printed by the probe, no Java layout");
            }
        }
    }

    /** Named members are listed by path; members named "$..." are transparent (anonymous in C). */
    private static void flatten(MemoryLayout group, long base, String prefix,
                                Map<String, List<Long>> out, String struct) {
        long offset = base;
        for (MemoryLayout member : ((GroupLayout) group).memberLayouts()) {
            long at = group instanceof UnionLayout ? base : offset;
            offset += member.byteSize();
            if (member instanceof PaddingLayout) {
                continue;
            }
            String name = member.name().orElseThrow(() -> new AssertionError("unnamed member in " + struct));
            if (name.startsWith("$")) {
                flatten(member, at, prefix, out, struct);
                continue;
            }
            String path = prefix + name;
            if (out.put(path, List.of(at, member.byteSize())) != null) {
                throw new AssertionError(struct + " declares " + path + " twice");
            }
            if (member instanceof GroupLayout) {
                flatten(member, at, path + ".", out, struct);
            }
        }
    }

    private static void parse(String output) {
        for (String line : output.split("\n")) {
            String[] f = line.trim().split(" ");
            switch (f[0]) {
                case "S" -> C_STRUCTS.computeIfAbsent(f[1], k -> new TreeMap<>())
                        .put("", List.of(0L, Long.parseLong(f[2])));
                case "F" -> C_STRUCTS.computeIfAbsent(f[1], k -> new TreeMap<>())
                        .put(f[2], List.of(Long.parseLong(f[3]), Long.parseLong(f[4])));
                case "C" -> C_CONSTANTS.put(f[1], Long.parseLong(f[2]));
                default -> throw new AssertionError("unexpected probe output line: " + line);
            }
        }
    }

    private static Path findProbeSource() {
        for (Path candidate : List.of(Path.of("..", "native", "probe", "layout_probe.c"),
                Path.of("native", "probe", "layout_probe.c"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new AssertionError("native/probe/layout_probe.c not found from " + Path.of("").toAbsolutePath());
    }

    private static Optional<String> findCompiler() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : List.of("cc", "gcc", "clang")) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Optional.of(Path.of(dir, name).toString());
                }
            }
        }
        return Optional.empty();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        assertEquals(0, process.exitValue(), command + " failed:\n" + output);
        return output;
    }

    private static boolean isConstant(Field field) {
        int m = field.getModifiers();
        return Modifier.isStatic(m) && Modifier.isFinal(m);
    }

    private static Object read(Field field) {
        try {
            field.setAccessible(true);
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
