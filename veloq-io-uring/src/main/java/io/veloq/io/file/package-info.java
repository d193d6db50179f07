/**
 * Files in direct style: {@link io.veloq.io.file.VeloqFile} (positional reads and writes on
 * registered buffers, {@code ByteBuffer}s, arrays and segments; sync, allocate, size, metadata) and
 * {@link io.veloq.io.file.VeloqFiles} (mkdir, delete, rename, metadata).
 *
 * <h2>Life of an operation</h2>
 * <ol>
 *   <li>The public method checks its arguments (null, ranges, open mode) and that the caller is a
 *       Veloq task — before anything touches the kernel, so bad input never reaches a worker.</li>
 *   <li>It calls the file's backend object ({@link io.veloq.io.FileIo}), created by the backend
 *       of the worker that opened it ({@link io.veloq.io.IoBackends}).</li>
 *   <li>io_uring: the object enters its close gate (counting the operation in flight), submits one
 *       SQE through the caller's worker's driver and parks the task until the CQE; heap memory is
 *       staged through a native buffer. Portable: one {@code FileChannel} call.</li>
 *   <li>A negative result becomes the JDK's exception naming the path; 0 bytes read at end of
 *       file becomes -1.</li>
 * </ol>
 * Skipping step 1 would let a negative position reach the kernel as a huge offset; skipping the
 * gate in step 3 would let {@code close()} release a descriptor number an operation still uses.
 */
package io.veloq.io.file;
