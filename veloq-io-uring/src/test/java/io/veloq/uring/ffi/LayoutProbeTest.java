package io.veloq.uring.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Compiles {@code native/probe/layout_probe.c} with the system C compiler, runs it, and compares
 * every struct size, member offset and member size, every scalar type size and every constant
 * with the hand-written Java bindings; then checks each typed accessor against a struct C filled
 * in ({@link AccessorSamples}). Any difference in either direction fails the test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LayoutProbeTest {

    private static final List<Class<?>> LAYOUT_CLASSES = List.of(IoUringLayouts.class, PosixLayouts.class);
    private static final List<Class<?>> CONSTANT_CLASSES =
            List.of(IoUringConstants.class, PosixConstants.class, Errno.class);

    private static LayoutProbe probe;

    @BeforeAll
    static void runProbe() throws Exception {
        probe = LayoutProbe.run();
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
        compare("struct", java, probe.structs, differences);
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
            Long c = probe.constants.get(e.getKey());
            if (c == null) {
                differences.add(e.getKey() + ": declared in Java, not printed by the probe");
            } else if (!sameBits(e.getKey(), e.getValue(), c)) {
                differences.add(e.getKey() + ": Java " + e.getValue() + ", C " + c);
            }
        }
        for (String name : probe.constants.keySet()) {
            if (!java.containsKey(name)) {
                differences.add(name + ": printed by the probe, not declared in Java");
            }
        }
        assertEquals(List.of(), differences, "Java constants differ from the C headers");
        assertTrue(java.size() > 250, "expected every constant to be checked, got " + java.size());
    }

    /** Scalar types passed alone by pointer (socklen_t, int, eventfd_t): each named public ValueLayout. */
    @Test
    void everyScalarTypeMatchesTheCompiler() {
        Map<String, Long> java = new TreeMap<>();
        for (Class<?> holder : LAYOUT_CLASSES) {
            for (Field field : holder.getDeclaredFields()) {
                if (isConstant(field) && Modifier.isPublic(field.getModifiers())
                        && ValueLayout.class.isAssignableFrom(field.getType())) {
                    ValueLayout layout = (ValueLayout) read(field);
                    java.put(layout.name().orElseThrow(() -> new AssertionError(field + " has no C type name")),
                            layout.byteSize());
                }
            }
        }
        assertEquals(probe.types, java, "scalar layouts (Java) against sizeof (C), by C type name");
    }

    /**
     * Every accessor sample the probe prints has a check, every check has a sample, and each check
     * passes using every value C wrote: the typed accessors read and write what C does.
     */
    @Test
    void typedAccessorsAgreeWithTheCompiler() throws Exception {
        assertEquals(new TreeSet<>(AccessorSamples.CHECKS.keySet()), probe.sampleBytes.keySet(),
                "samples printed by the probe against samples checked in Java");
        List<String> unused = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : probe.sampleBytes.entrySet()) {
            try (Arena arena = Arena.ofConfined()) {
                AccessorSamples.Sample sample = new AccessorSamples.Sample(arena, e.getValue(),
                        probe.sampleValues.getOrDefault(e.getKey(), Map.of()));
                AccessorSamples.CHECKS.get(e.getKey()).run(sample);
                Set<String> left = new TreeSet<>(sample.members());
                left.removeAll(sample.used);
                if (!left.isEmpty()) {
                    unused.add(e.getKey() + " " + left);
                }
            }
        }
        assertEquals(List.of(), unused, "values the probe wrote that no Java accessor was checked against");
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
