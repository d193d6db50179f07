package io.veloq.uring.ring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_COOP_TASKRUN;
import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_CQSIZE;
import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_DEFER_TASKRUN;
import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_SINGLE_ISSUER;
import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_SUBMIT_ALL;
import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_TASKRUN_FLAG;

/**
 * What to ask of the kernel when setting a ring up.
 *
 * @param sqEntries submission queue size, a power of two in 1..32768
 * @param cqEntries completion queue size, a power of two in sqEntries..65536
 * @param refusedSetupFlags IORING_SETUP_* flags never to request even if the kernel offers them
 *     (for tests of the fallbacks, and for users who must avoid one); only the flags the setup
 *     ladder uses ({@link #LADDER_FLAGS}) may be refused
 * @param useExtArg whether to use IORING_ENTER_EXT_ARG timed waits when the kernel offers them
 *     (otherwise a TIMEOUT entry bounds the wait)
 */
public record RingOptions(int sqEntries, int cqEntries, int refusedSetupFlags, boolean useExtArg) {

    /** The setup flags the ladder of {@link RingSetup} tries, most wanted first. */
    public static final int LADDER_FLAGS = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN
            | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_SUBMIT_ALL
            | IORING_SETUP_CQSIZE;

    public RingOptions {
        if (sqEntries < 1 || sqEntries > 32768 || Integer.bitCount(sqEntries) != 1) {
            throw new IllegalArgumentException("sqEntries must be a power of two in 1..32768, was " + sqEntries);
        }
        if (cqEntries < sqEntries || cqEntries > 65536 || Integer.bitCount(cqEntries) != 1) {
            throw new IllegalArgumentException(
                    "cqEntries must be a power of two in sqEntries (" + sqEntries + ")..65536, was " + cqEntries);
        }
        if ((refusedSetupFlags & ~LADDER_FLAGS) != 0) {
            throw new IllegalArgumentException("refusedSetupFlags may only hold SINGLE_ISSUER, DEFER_TASKRUN, "
                    + "COOP_TASKRUN, TASKRUN_FLAG, SUBMIT_ALL and CQSIZE, was 0x" + Integer.toHexString(refusedSetupFlags));
        }
    }

    /** {@code sqEntries} submission entries, four times as many completion entries, every feature used. */
    public static RingOptions of(int sqEntries) {
        return new RingOptions(sqEntries, Math.min(65536, sqEntries * 4), 0, true);
    }

    public RingOptions withCqEntries(int entries) {
        return new RingOptions(sqEntries, entries, refusedSetupFlags, useExtArg);
    }

    public RingOptions refusing(int setupFlags) {
        return new RingOptions(sqEntries, cqEntries, refusedSetupFlags | setupFlags, useExtArg);
    }

    public RingOptions withExtArg(boolean use) {
        return new RingOptions(sqEntries, cqEntries, refusedSetupFlags, use);
    }
}
