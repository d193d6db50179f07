/**
 * The core suite ({@code bench/run core}): scheduler, spawn/join, mesh and memory scenarios of the
 * core issue, section 6. One {@code *Bench} class per scenario holds the JMH benchmark and its
 * baselines; the Veloq side of each lives in {@code Veloq*.java}. What each side measures exactly is
 * in the class comments and in {@code bench/README.md}.
 *
 * <p>Rules every scenario keeps, so the sides stay comparable and a broken side cannot hang the run:
 * <ol>
 *   <li>Same work on every side: one task object per task, results checked
 *       ({@link io.veloq.bench.core.BenchSupport#check}), N = available processors threads unless the
 *       scenario fixes the count.</li>
 *   <li>Each side is built in {@code @Setup} and closed in {@code @TearDown}; nothing is shared between
 *       variants (each runs in its own fork anyway).</li>
 *   <li>Every wait of a benchmark or probe thread is bounded by
 *       {@link io.veloq.bench.core.BenchSupport#WAIT_SECONDS}: a lost wake-up becomes a failed variant with
 *       a TimeoutException instead of a stuck run. Tasks that park in a loop end when interrupted, so the
 *       {@code shutdownNow} in {@link io.veloq.bench.core.BenchSupport#shutdown} can clear them.</li>
 * </ol>
 */
package io.veloq.bench.core;
