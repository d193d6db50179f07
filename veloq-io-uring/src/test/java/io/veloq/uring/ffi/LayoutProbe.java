package io.veloq.uring.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What {@code native/probe/layout_probe.c} says, compiled with the system C compiler and run once:
 * struct sizes and member offsets ({@code S}/{@code F}), scalar type sizes ({@code T}), constants
 * ({@code C}) and the accessor samples ({@code B} bytes, {@code V} member values). See the header
 * of the C file for the line format.
 */
final class LayoutProbe {

    /** struct name -> member path -> {offset, size}; the struct's own size under "". */
    final Map<String, Map<String, List<Long>>> structs = new TreeMap<>();
    final Map<String, Long> types = new TreeMap<>();
    final Map<String, Long> constants = new TreeMap<>();
    final Map<String, byte[]> sampleBytes = new TreeMap<>();
    /** sample -> member -> value. */
    final Map<String, Map<String, Long>> sampleValues = new TreeMap<>();

    private LayoutProbe() {}

    /** Compiles and runs the probe; skips the calling test class, saying why, without a C compiler. */
    static LayoutProbe run() throws IOException, InterruptedException {
        Path source = findProbeSource();
        Optional<String> compiler = findCompiler();
        Assumptions.assumeTrue(compiler.isPresent(),
                "no C compiler (cc, gcc or clang) on PATH: cannot compile " + source
                        + " to check the hand-written layouts; install gcc to run this check");
        Path outDir = Path.of("target", "layout-probe");
        Files.createDirectories(outDir);
        Path binary = outDir.resolve("layout_probe");
        String compileLog = exec(List.of(compiler.get(), "-std=gnu11", "-Wall", "-Werror", "-o",
                binary.toString(), source.toString()));
        assertTrue(compileLog.isBlank(), "compiler output: " + compileLog);
        LayoutProbe probe = new LayoutProbe();
        probe.parse(exec(List.of(binary.toAbsolutePath().toString())));
        return probe;
    }

    private void parse(String output) {
        for (String line : output.split("\n")) {
            String[] f = line.trim().split(" ");
            switch (f[0]) {
                case "S" -> structs.computeIfAbsent(f[1], k -> new TreeMap<>()).put("", List.of(0L, Long.parseLong(f[2])));
                case "F" -> structs.computeIfAbsent(f[1], k -> new TreeMap<>())
                        .put(f[2], List.of(Long.parseLong(f[3]), Long.parseLong(f[4])));
                case "T" -> types.put(f[1], Long.parseLong(f[2]));
                case "C" -> constants.put(f[1], Long.parseLong(f[2]));
                case "B" -> sampleBytes.put(f[1], HexFormat.of().parseHex(f[2]));
                case "V" -> sampleValues.computeIfAbsent(f[1], k -> new TreeMap<>()).put(f[2], Long.parseLong(f[3]));
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

    private static String exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        assertEquals(0, process.exitValue(), command + " failed:\n" + output);
        return output;
    }
}
