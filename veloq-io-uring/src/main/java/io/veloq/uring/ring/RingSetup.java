package io.veloq.uring.ring;

import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_COOP_TASKRUN;
import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_CQSIZE;
import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_DEFER_TASKRUN;
import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_SINGLE_ISSUER;
import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_SUBMIT_ALL;
import static io.veloq.uring.ffi.IoUringConstants.IORING_SETUP_TASKRUN_FLAG;

import io.veloq.uring.ffi.Errno;
import io.veloq.uring.ffi.IoUringParams;
import io.veloq.uring.ffi.IoUringSyscalls;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The setup ladder: asks {@code io_uring_setup(2)} for the best flag set first and steps down on
 * EINVAL (a flag this kernel does not know), remembering why, so that one log line can say what
 * was chosen and what was refused.
 *
 * <ol>
 *   <li>SINGLE_ISSUER | DEFER_TASKRUN | TASKRUN_FLAG | SUBMIT_ALL | CQSIZE (6.1+): completions
 *       are posted only when the owner asks, no IPIs, the SQ flags say when to ask;</li>
 *   <li>SINGLE_ISSUER | COOP_TASKRUN | TASKRUN_FLAG | SUBMIT_ALL | CQSIZE (6.0);</li>
 *   <li>COOP_TASKRUN | TASKRUN_FLAG | SUBMIT_ALL | CQSIZE (5.19);</li>
 *   <li>SUBMIT_ALL | CQSIZE (5.18), then CQSIZE (5.5), then no flags.</li>
 * </ol>
 * Any error other than EINVAL ends the ladder: it is not about flags (ENOMEM, EMFILE, EPERM...).
 * Threading: used once, by the thread that will own the ring.
 */
final class RingSetup {

    private static final int[] LADDER = {
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_TASKRUN_FLAG
                | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_CQSIZE,
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG
                | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_CQSIZE,
        IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_CQSIZE,
        IORING_SETUP_SUBMIT_ALL | IORING_SETUP_CQSIZE,
        IORING_SETUP_CQSIZE,
        0,
    };

    /** The outcome: the ring fd, with the params the kernel filled in, and the story of the choice. */
    record Outcome(int ringFd, int flags, String refusals) {}

    private RingSetup() {}

    /**
     * Sets a ring up; {@code params} holds the kernel's answer afterwards.
     *
     * @throws IOException naming the errno if no flag set was accepted
     */
    static Outcome setUp(MemorySegment callState, IoUringParams params, RingOptions options) throws IOException {
        List<String> refusals = new ArrayList<>();
        int result = 0;
        for (int flags : candidates(options.refusedSetupFlags())) {
            params.clear().flags(flags);
            if ((flags & IORING_SETUP_CQSIZE) != 0) {
                params.cqEntries(options.cqEntries());
            }
            result = IoUringSyscalls.setup(callState, options.sqEntries(), params.segment());
            if (result >= 0) {
                return new Outcome(result, flags, String.join("; ", refusals));
            }
            if (result != -Errno.EINVAL) {
                break;
            }
            refusals.add(describeFlags(flags) + " refused (EINVAL)");
        }
        throw new IOException("io_uring_setup(" + options.sqEntries() + " entries) failed: "
                + Errno.describe(-result) + (refusals.isEmpty() ? "" : "; before that: " + String.join("; ", refusals)));
    }

    /**
     * The ladder without the refused flags: flags that need a refused one are dropped with it, and
     * a rung left asking for a subset of a later rung is skipped (ask for the most first).
     */
    static List<Integer> candidates(int refused) {
        List<Integer> rungs = new ArrayList<>();
        for (int flags : LADDER) {
            int wanted = flags & ~refused;
            if ((wanted & IORING_SETUP_SINGLE_ISSUER) == 0) {
                wanted &= ~IORING_SETUP_DEFER_TASKRUN; // DEFER_TASKRUN needs SINGLE_ISSUER
            }
            if ((wanted & (IORING_SETUP_COOP_TASKRUN | IORING_SETUP_DEFER_TASKRUN)) == 0) {
                wanted &= ~IORING_SETUP_TASKRUN_FLAG; // TASKRUN_FLAG needs one of the two
            }
            rungs.add(wanted);
        }
        Set<Integer> kept = new LinkedHashSet<>();
        for (int i = 0; i < rungs.size(); i++) {
            int rung = rungs.get(i);
            boolean subsumed = false;
            for (int j = i + 1; j < rungs.size(); j++) {
                int later = rungs.get(j);
                subsumed |= later != rung && (rung & ~later) == 0;
            }
            if (!subsumed) {
                kept.add(rung);
            }
        }
        return List.copyOf(kept);
    }

    /** "SINGLE_ISSUER|DEFER_TASKRUN|..." for the flags of the ladder; "none" for 0. */
    static String describeFlags(int flags) {
        StringJoiner names = new StringJoiner("|");
        if ((flags & IORING_SETUP_SINGLE_ISSUER) != 0) names.add("SINGLE_ISSUER");
        if ((flags & IORING_SETUP_DEFER_TASKRUN) != 0) names.add("DEFER_TASKRUN");
        if ((flags & IORING_SETUP_COOP_TASKRUN) != 0) names.add("COOP_TASKRUN");
        if ((flags & IORING_SETUP_TASKRUN_FLAG) != 0) names.add("TASKRUN_FLAG");
        if ((flags & IORING_SETUP_SUBMIT_ALL) != 0) names.add("SUBMIT_ALL");
        if ((flags & IORING_SETUP_CQSIZE) != 0) names.add("CQSIZE");
        return flags == 0 ? "none" : names.toString();
    }
}
