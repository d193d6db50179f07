package io.veloq.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.veloq.join.JoinHandle;
import io.veloq.mesh.Mesh;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.agrona.concurrent.IdleStrategy;
import org.jctools.queues.MessagePassingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's "Ten lines in {@code main}" example, taken from README.md itself (so the README cannot
 * drift from the API unnoticed), compiled in memory against this build's classes and run in this JVM
 * (which has Veloq's JVM flags): it must print {@code fib(30) + fib(31) = 2178309}.
 */
@Timeout(120)
class ReadmeExampleTest {

    private static final String SECTION = "## Ten lines in `main`";
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public\\s+class\\s+(\\w+)");

    @Test
    void theReadmeExampleCompilesRunsAndPrintsTheSum() throws Throwable {
        String source = readmeExample();
        Matcher name = CLASS_NAME.matcher(source);
        assertTrue(name.find(), () -> "no public class in the README example:\n" + source);
        String className = name.group(1);
        assertTrue(source.contains("workers(2)"), "the README example is expected to build two workers");

        Class<?> example = compile(className, source);
        Method main = example.getMethod("main", String[].class);
        String printed = runCapturingStdout(main);

        long expected = iterativeFib(30) + iterativeFib(31);
        assertEquals(2178309L, expected); // fib(32): a check of this test's own arithmetic
        assertEquals("fib(30) + fib(31) = " + expected, printed.strip());
    }

    /** The first java block under the README's "Ten lines in main" heading. */
    private static String readmeExample() throws IOException {
        Path readme = findReadme();
        String text = Files.readString(readme, StandardCharsets.UTF_8).replace("\r\n", "\n");
        int section = text.indexOf(SECTION);
        assertTrue(section >= 0, () -> readme + " has no section '" + SECTION + "'");
        Matcher block = JAVA_BLOCK.matcher(text);
        assertTrue(block.find(section), () -> readme + " has no ```java block after '" + SECTION + "'");
        return block.group(1);
    }

    /** README.md of the repository: surefire runs in the module directory, one level below it. */
    private static Path findReadme() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("README.md");
            if (Files.isRegularFile(candidate) && Files.isRegularFile(dir.resolve("veloq-core").resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new AssertionError("README.md of the Veloq repository not found above " + System.getProperty("user.dir"));
    }

    /** Compiles {@code source} in memory against the classes of this build and loads it. */
    private static Class<?> compile(String className, String source) throws ClassNotFoundException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "this test needs a JDK (javax.tools), not a JRE");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, byte[]> classes = new HashMap<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
        try (JavaFileManager files = new InMemoryOutput(standard, classes)) {
            List<String> options = List.of("-classpath", compileClasspath(), "-proc:none", "-Xlint:none");
            JavaFileObject unit = new Source(className, source);
            Boolean ok = javac.getTask(null, files, diagnostics, options, null, List.of(unit)).call();
            StringBuilder report = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                report.append(d.getKind()).append(" line ").append(d.getLineNumber()).append(": ")
                        .append(d.getMessage(Locale.ROOT)).append('\n');
            }
            assertTrue(Boolean.TRUE.equals(ok), () -> "the README example does not compile:\n" + report + "\n" + source);
        } catch (IOException e) {
            throw new AssertionError("in-memory compilation failed", e);
        }
        ClassLoader loader = new ClassLoader(ReadmeExampleTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
        return loader.loadClass(className);
    }

    /**
     * Where Veloq and its dependencies were loaded from: surefire may hide the real class path in a
     * manifest-only jar, so the locations come from the classes' code sources.
     */
    private static String compileClasspath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : List.of(Runtime.class, JoinHandle.class, Mesh.class, IdleStrategy.class, MessagePassingQueue.class)) {
            try {
                entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException e) {
                throw new AssertionError("code source of " + c.getName() + " is not a path", e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Runs {@code main(new String[0])} with System.out redirected, restoring it afterwards. */
    private static String runCapturingStdout(Method main) throws Throwable {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            System.out.flush();
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static long iterativeFib(int n) {
        long a = 0;
        long b = 1;
        for (int i = 0; i < n; i++) {
            long next = a + b;
            a = b;
            b = next;
        }
        return a;
    }

    /** A compilation unit held in a string. */
    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }

    /** Keeps javac's class files in memory, by binary name. */
    private static final class InMemoryOutput extends ForwardingJavaFileManager<StandardJavaFileManager> {
        private final Map<String, byte[]> classes;

        InMemoryOutput(StandardJavaFileManager delegate, Map<String, byte[]> classes) {
            super(delegate);
            this.classes = classes;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return new ByteArrayOutputStream() {
                        @Override
                        public void close() {
                            classes.put(className, toByteArray());
                        }
                    };
                }
            };
        }
    }
}
