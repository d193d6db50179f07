package io.veloq.uring;

/**
 * The 64-bit {@code user_data} every SQE carries and its CQE returns.
 *
 * <pre>
 *   bit 63      0 = an operation of the op table, 1 = an internal entry of the driver
 *   op table:   bits 32..62 generation (1..2^31-1, never 0), bits 0..31 slot index
 *   internal:   bits 0..7 the kind: WAKE_READ, WAKE_MESSAGE, PARK_TIMEOUT, IGNORED, CANCEL_ALL,
 *               MESSAGE_SENT (then bits 8..39 hold the id of the driver the message went to)
 * </pre>
 *
 * The generation makes a completion addressed to an earlier use of a slot recognisable (stale),
 * and no valid operation has user_data 0. Stateless.
 */
final class UserData {

    private static final long INTERNAL = 1L << 63;
    private static final int GENERATION_SHIFT = 32;
    private static final long GENERATION_MASK = 0x7fff_ffffL;

    /** The armed eventfd read that wake() from any thread completes. */
    static final long WAKE_READ = INTERNAL | 1;
    /** A wake-up posted by another worker's ring with IORING_OP_MSG_RING. */
    static final long WAKE_MESSAGE = INTERNAL | 2;
    /** A TIMEOUT entry bounding a park when EXT_ARG waits are not in use. */
    static final long PARK_TIMEOUT = INTERNAL | 3;
    /** Entries whose completion carries nothing to act on: LINK_TIMEOUT, ASYNC_CANCEL, MSG_RING's own. */
    static final long IGNORED = INTERNAL | 4;

    /** The close-time ASYNC_CANCEL of every request (its -EINVAL means: cancel one by one). */
    static final long CANCEL_ALL = INTERNAL | 5;
    private static final int MESSAGE_SENT_KIND = 6;

    /** The largest generation; the next one after it is 1. */
    static final int MAX_GENERATION = (int) GENERATION_MASK;

    private UserData() {}

    static long pack(int slot, int generation) {
        if (slot < 0) {
            throw new IllegalArgumentException("slot " + slot);
        }
        if (generation <= 0) {
            throw new IllegalArgumentException("generation " + generation);
        }
        return ((long) generation << GENERATION_SHIFT) | Integer.toUnsignedLong(slot);
    }

    /** Our own copy of a MSG_RING wake-up sent to the driver {@code targetId}; its CQE reports failure only. */
    static long messageSent(int targetId) {
        return INTERNAL | (Integer.toUnsignedLong(targetId) << 8) | MESSAGE_SENT_KIND;
    }

    static boolean isMessageSent(long userData) {
        return isInternal(userData) && (userData & 0xff) == MESSAGE_SENT_KIND;
    }

    static int messageTarget(long userData) {
        return (int) (userData >>> 8);
    }

    static boolean isInternal(long userData) {
        return userData < 0;
    }

    static int slot(long userData) {
        return (int) userData;
    }

    static int generation(long userData) {
        return (int) ((userData >>> GENERATION_SHIFT) & GENERATION_MASK);
    }

    /** The generation after {@code generation}, skipping 0. */
    static int nextGeneration(int generation) {
        return generation >= MAX_GENERATION ? 1 : generation + 1;
    }

    static String toString(long userData) {
        if (!isInternal(userData)) {
            return "op(slot " + slot(userData) + ", generation " + generation(userData) + ")";
        }
        return switch ((int) (userData & 0xff)) {
            case 1 -> "WAKE_READ";
            case 2 -> "WAKE_MESSAGE";
            case 3 -> "PARK_TIMEOUT";
            case 4 -> "IGNORED";
            case 5 -> "CANCEL_ALL";
            case MESSAGE_SENT_KIND -> "MESSAGE_SENT(to driver " + messageTarget(userData) + ")";
            default -> "internal(0x" + Long.toHexString(userData) + ")";
        };
    }
}
