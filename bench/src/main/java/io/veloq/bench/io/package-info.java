/**
 * The io suite ({@code bench/run io}): random file reads and TCP echo of the io_uring issue,
 * section 8, each Veloq variant against its baselines in the same run. Not JMH: every side runs in
 * processes of its own and is measured over a fixed window ({@link io.veloq.bench.io.IoRunSettings}).
 * What each side does exactly is in the class comments and in {@code bench/README.md}.
 *
 * <h2>File scenarios ({@link io.veloq.bench.io.FileRandReadScenario})</h2>
 * <ol>
 *   <li>The runner writes the {@link io.veloq.bench.io.DataFile} once (pseudo-random, fsynced) and
 *       deletes it when it exits; before each variant of the buffered scenario it reads the whole
 *       file, so every side starts with it in the page cache.</li>
 *   <li>A Java side runs in a fresh {@link io.veloq.bench.io.FileReadProbe} JVM: N × depth readers
 *       ({@link io.veloq.bench.io.RandomReads}), each one read in flight at a time, count into
 *       per-reader slots ({@link io.veloq.bench.io.ReadCounters}); the probe samples the sum after
 *       the warm-up and after the measured time. fio runs the same pattern
 *       ({@link io.veloq.bench.io.Fio}) with {@code ramp_time} as its warm-up.</li>
 *   <li>Every read must return a whole block; a short read or any failure fails the side (no score).</li>
 * </ol>
 *
 * <h2>Echo scenarios ({@link io.veloq.bench.io.EchoScenario})</h2>
 * <ol>
 *   <li>The server runs in its own JVM ({@link io.veloq.bench.io.EchoServerMain}) with N workers or
 *       event loops; the runner waits for its {@code LISTENING <port>} line.</li>
 *   <li>One load generator ({@link io.veloq.bench.io.EchoLoadGenerator}, NIO selectors), the same
 *       code and thread count for every server, connects all connections first, keeps one message in
 *       flight per connection, checks every echo byte-for-byte where it carries the sequence number
 *       and connection id, and records each round trip in a
 *       {@link io.veloq.bench.io.LatencyHistogram} during the measured window only.</li>
 *   <li>The server is stopped in a finally block ({@link io.veloq.bench.io.ChildProcess#stop}): end
 *       of input, then destroyForcibly of it and its descendants, checked; a server that survives
 *       fails the variant. A server also stops itself on end of input or after a bound, so even a
 *       killed runner leaves none behind for long.</li>
 * </ol>
 * Skipping the byte check would let a server that drops or mixes data score; measuring from the
 * first message would put JIT and accept costs into the figures; a server left running would take
 * CPU from every variant after it.
 */
package io.veloq.bench.io;
