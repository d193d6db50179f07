package io.veloq.bench.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Completed reads per reader, summed by the probe's main thread while the readers run.
 *
 * <p>Threading contract: slot {@code i} has one writer at a time — reader {@code i}, whose reads
 * are strictly sequential (on the async side its completions are ordered by the executor's
 * hand-off) — so an increment is a plain read plus an opaque store; the main thread reads every
 * slot with an opaque load. Opaque is enough: the sum only needs each slot's latest value
 * eventually, not ordering with other memory. Slots are {@value #STRIDE} longs apart so that
 * readers on different cores never share a cache line.
 */
final class ReadCounters {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    /** 16 longs = 128 bytes: two cache lines, so the adjacent-line prefetcher does not pair slots either. */
    private static final int STRIDE = 16;

    private final long[] slots;
    private final int readers;

    ReadCounters(int readers) {
        if (readers < 1) {
            throw new IllegalArgumentException("readers must be >= 1, got " + readers);
        }
        this.readers = readers;
        this.slots = new long[(readers + 1) * STRIDE];
    }

    int readers() {
        return readers;
    }

    /** Called by reader {@code reader} only, after each completed read. */
    void increment(int reader) {
        int i = (reader + 1) * STRIDE;
        SLOT.setOpaque(slots, i, slots[i] + 1); // single writer; pairs with the opaque loads in sum()
    }

    /** All completed reads so far; any thread. */
    long sum() {
        long total = 0;
        for (int r = 0; r < readers; r++) {
            total += (long) SLOT.getOpaque(slots, (r + 1) * STRIDE); // pairs with the opaque store in increment()
        }
        return total;
    }
}
