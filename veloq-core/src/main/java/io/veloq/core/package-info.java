/**
 * Veloq's public API: {@link io.veloq.core.Runtime} (built with {@link io.veloq.core.RuntimeBuilder})
 * and {@link io.veloq.core.RuntimeContext}.
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *     try (Runtime runtime = Runtime.builder().workers(4).build()) {
 *         long sum = runtime.blockOn(() -> {
 *             List<JoinHandle<Long>> parts = new ArrayList<>();
 *             for (int i = 0; i < 1000; i++) {
 *                 long n = i;
 *                 parts.add(runtime.spawn(() -> n * n));
 *             }
 *             long s = 0;
 *             for (JoinHandle<Long> part : parts) {
 *                 s += part.join();
 *             }
 *             return s;
 *         });
 *     }
 * }
 * }</pre>
 *
 * <p>JVM flags (checked when a runtime starts; a missing one fails with its exact text):
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
 * --sun-misc-unsafe-memory-access=allow}.
 */
package io.veloq.core;
