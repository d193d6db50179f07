package io.veloq.uring.ring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_REGISTER_PROBE;
import static io.veloq.uring.ffi.IoUringConstants.IO_URING_OP_SUPPORTED;

import io.veloq.uring.ffi.IoUringSyscalls;
import io.veloq.uring.ffi.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

/**
 * Which opcodes the running kernel supports, from IORING_REGISTER_PROBE (5.6+). Immutable.
 * When the probe itself is not available every opcode is reported as supported: an unsupported
 * one then fails with -EINVAL in its completion, which callers map like any other error.
 */
public final class OpcodeSupport {

    private static final int PROBE_OPS = 256;

    private final BitSet supported;
    private final boolean probed;
    private final int lastOp;

    private OpcodeSupport(BitSet supported, boolean probed, int lastOp) {
        this.supported = supported;
        this.probed = probed;
        this.lastOp = lastOp;
    }

    /** Probes the ring {@code ringFd}; never fails (see the class comment). */
    static OpcodeSupport probe(MemorySegment callState, int ringFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment probe = Structs.allocateProbe(arena, PROBE_OPS);
            int r = IoUringSyscalls.register(callState, ringFd, IORING_REGISTER_PROBE, probe, PROBE_OPS);
            if (r < 0) {
                return new OpcodeSupport(new BitSet(), false, -1);
            }
            BitSet ops = new BitSet(PROBE_OPS);
            int length = Structs.probeOpsLength(probe);
            for (int op = 0; op < length; op++) {
                if ((Structs.probeOpFlags(probe, op) & IO_URING_OP_SUPPORTED) != 0) {
                    ops.set(op);
                }
            }
            return new OpcodeSupport(ops, true, Structs.probeLastOp(probe));
        }
    }

    /** Whether the kernel supports {@code opcode} (true for every opcode when the probe was unavailable). */
    public boolean supports(int opcode) {
        return !probed || supported.get(opcode);
    }

    /** Whether IORING_REGISTER_PROBE answered. */
    public boolean probed() {
        return probed;
    }

    /** The kernel's last supported opcode, -1 when not probed. */
    public int lastOp() {
        return lastOp;
    }

    @Override
    public String toString() {
        return probed ? supported.cardinality() + " opcodes (last " + lastOp + ")" : "opcode probe unavailable";
    }
}
