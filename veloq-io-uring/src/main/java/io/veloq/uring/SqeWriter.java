package io.veloq.uring;

import io.veloq.uring.ffi.Sqe;

/**
 * Fills the submission queue entry of one operation: opcode and operands, typically with one of
 * the {@code Sqe.prep*} methods, plus any IOSQE_* flags the operation needs.
 *
 * <p>Contract: called synchronously on the submitting task, with an entry that is already zeroed;
 * it must not set {@code user_data} (the driver overwrites it), must not set IOSQE_IO_LINK (the
 * driver links its own LINK_TIMEOUT), and must not call back into the driver. Every address it
 * writes must stay valid until the operation's {@code submitAndAwait} call returns: the entry
 * reaches the kernel only in the worker's next poll or park, and the kernel may use the memory
 * until the completion. Use memory the caller frees explicitly after the call (a confined
 * {@code Arena} in try-with-resources, a {@code RegisteredBuffer}); a segment of
 * {@code Arena.ofAuto()} that is no longer referenced may be freed by the GC while the kernel uses
 * it. If the writer throws, the entry is turned into an ignored NOP and the exception propagates.
 */
@FunctionalInterface
public interface SqeWriter {

    void write(Sqe sqe);
}
