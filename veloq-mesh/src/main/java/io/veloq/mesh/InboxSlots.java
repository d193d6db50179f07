package io.veloq.mesh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per destination worker, one cache line holding its inbound hint and its drain cursor.
 *
 * <p>Threading contract:
 * <ul>
 *   <li>hint: set to 1 by any sender after it published into one of the destination's queues
 *       ({@link #markInbound}); read and cleared by the destination worker only
 *       ({@link #mayHaveInbound}, {@link #takeHint}, {@link #restoreHint}).</li>
 *   <li>cursor: the destination worker only (plain accesses).</li>
 * </ul>
 * Each destination's words sit on their own 64-byte line, with a spare line before the first, so
 * senders marking one destination do not disturb the line another destination polls.
 *
 * <p>The hint may be set while nothing is pending (harmless: one empty scan); it is never 0 while
 * a message is pending, which is the step-4 argument in {@code package-info.java}.
 */
final class InboxSlots {

    /** Ints per slot: 16 × 4 bytes = one 64-byte cache line. */
    private static final int STRIDE = 16;
    private static final int HINT = 0;
    private static final int CURSOR = 1;

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(int[].class);

    private final int[] words;

    InboxSlots(int workers) {
        this.words = new int[(workers + 2) * STRIDE];
    }

    private static int base(int worker) {
        return (worker + 1) * STRIDE;
    }

    /** Sender, after its offer and before its full fence (the fence orders it before the sleep-state load). */
    void markInbound(int to) {
        // Release store: pairs with the owner's getAndSet in takeHint — a hint the owner reads as 1
        // brings the sender's earlier offer with it.
        WORDS.setRelease(words, base(to) + HINT, 1);
    }

    /** Owner, cheap check: the drain fast path and the sleep re-check. */
    boolean mayHaveInbound(int to) {
        // Acquire load: pairs with markInbound's release store. In the sleep re-check it follows
        // announceSleep's full fence, which pairs with the sender's fence (Dekker on hint/state).
        return (int) WORDS.getAcquire(words, base(to) + HINT) != 0;
    }

    /**
     * Owner, before scanning its queues: clears the hint. The RMW is a full barrier, so the scan
     * that follows cannot run ahead of the clear; a sender whose mark lands after the clear keeps
     * the hint set, and one whose mark landed before it has its offer visible to the scan.
     */
    void takeHint(int to) {
        // getAndSet (volatile RMW): pairs with markInbound's release store.
        WORDS.getAndSet(words, base(to) + HINT, 0);
    }

    /** Owner: the scan stopped early (limit reached or sink threw), so messages may remain. */
    void restoreHint(int to) {
        // Release store for symmetry with senders; only the owner acts on the value.
        WORDS.setRelease(words, base(to) + HINT, 1);
    }

    int cursor(int to) {
        return words[base(to) + CURSOR];
    }

    void cursor(int to, int value) {
        words[base(to) + CURSOR] = value;
    }
}
