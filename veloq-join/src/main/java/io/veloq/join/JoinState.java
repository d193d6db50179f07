package io.veloq.join;

/**
 * The bits of a {@link JoinCell}'s state word and what each transition tells its caller to do next.
 *
 * <p>The state word is one {@code int}:
 *
 * <pre>
 *   bit  0     STARTED   tryStart won: the body runs (or ran) on the recorded runner. Sticky.
 *   bits 1..3  PHASE     PENDING      0  no outcome yet (IDLE or WAITING in DESIGN.md's terms)
 *                        COMPLETING   1  complete*() won; the completer is writing the outcome (transient)
 *                        NORMAL       2  READY with a value
 *                        EXCEPTIONAL  3  READY with a failure
 *                        INTERRUPTING 4  cancel(true) won while running; the canceller is interrupting
 *                                        the runner (transient; already reported as cancelled)
 *                        CANCELLED    5  cancelled (before start if STARTED is clear, else during the run)
 * </pre>
 *
 * <p>Legal transitions, each one CAS on the whole word: {@code NEW(0) -> STARTED}; {@code PENDING ->
 * COMPLETING -> NORMAL|EXCEPTIONAL}; {@code PENDING -> CANCELLED}; {@code STARTED|PENDING ->
 * INTERRUPTING -> CANCELLED}. The STARTED bit never changes once the phase has left PENDING. Whether
 * joiners are registered (DESIGN.md's WAITING) is kept in the cell's second word, the waiter stack
 * ({@link WaiterStack}), because a Java reference cannot live inside this int.
 */
final class JoinState {
    static final int NEW = 0;
    static final int STARTED = 1;

    static final int PHASE_SHIFT = 1;
    static final int PHASE_MASK = 0b111 << PHASE_SHIFT;
    static final int PENDING = 0;
    static final int COMPLETING = 1 << PHASE_SHIFT;
    static final int NORMAL = 2 << PHASE_SHIFT;
    static final int EXCEPTIONAL = 3 << PHASE_SHIFT;
    static final int INTERRUPTING = 4 << PHASE_SHIFT;
    static final int CANCELLED = 5 << PHASE_SHIFT;

    /** What {@code transitionToCompleting} tells the completer to do next. */
    enum CompleteAction {
        /** The caller owns the outcome: write it, store the final phase with release, release waiters. */
        PUBLISH,
        /** Another outcome was decided first: drop this one, nothing else to do. */
        DROP,
        /**
         * A {@code cancel(true)} won and is interrupting the runner: wait until the phase is CANCELLED
         * (the interrupt was delivered), then drop, so no interrupt from this cell arrives later.
         */
        AWAIT_INTERRUPT_THEN_DROP
    }

    /** What {@code transitionToCancelled} tells the canceller to do next. */
    enum CancelAction {
        /** The outcome was already decided: {@code cancel} returns false. */
        LOST,
        /** Cancelled (before start, or without interrupt): release the waiters. */
        RELEASE,
        /** Cancelled during the run: interrupt the runner, store CANCELLED with release, release waiters. */
        INTERRUPT_THEN_RELEASE
    }

    private JoinState() {
    }

    static int phase(int state) {
        return state & PHASE_MASK;
    }

    static boolean isStarted(int state) {
        return (state & STARTED) != 0;
    }

    /** True once an outcome is decided (including the transient phases). */
    static boolean isDecided(int state) {
        return phase(state) != PENDING;
    }

    static boolean isCancelled(int state) {
        int phase = phase(state);
        return phase == CANCELLED || phase == INTERRUPTING;
    }

    /** Decodes a state word, e.g. {@code RUNNING}, {@code READY(value)}, {@code CANCELLED(before start)}. */
    static String describe(int state) {
        boolean started = isStarted(state);
        return switch (phase(state)) {
            case PENDING -> started ? "RUNNING" : "NEW";
            case COMPLETING -> started ? "COMPLETING" : "COMPLETING(not started)";
            case NORMAL -> started ? "READY(value)" : "READY(value, not started)";
            case EXCEPTIONAL -> started ? "READY(failure)" : "READY(failure, not started)";
            case INTERRUPTING -> "INTERRUPTING";
            case CANCELLED -> started ? "CANCELLED(during run)" : "CANCELLED(before start)";
            default -> "INVALID(0x" + Integer.toHexString(state) + ")";
        };
    }
}
