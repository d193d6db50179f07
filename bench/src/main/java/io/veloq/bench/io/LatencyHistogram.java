package io.veloq.bench.io;

import java.util.Arrays;

/**
 * A log-linear histogram of non-negative {@code long} values (round-trip times in nanoseconds):
 * values below {@value #SUB_BUCKETS} are counted exactly; above, each power-of-two range is split
 * into {@value #HALF} equal buckets, so a recorded value is known to within 1/{@value #HALF} of itself
 * (under 1.6%). Values above {@link #MAX_VALUE} (about 68 s) are counted as {@code MAX_VALUE}.
 *
 * <p>{@link #percentile} answers with the highest value of the bucket holding the requested rank,
 * never less than the true percentile; {@link #max()} and {@link #mean()} are exact.
 *
 * <p>Threading: not thread-safe. Each load-generator thread records into its own histogram; the main
 * thread {@link #add}s them once those threads have ended (their join orders the reads).
 */
final class LatencyHistogram {

    /** Sub-bucket bits: 2^7 exact values at the bottom, 2^6 buckets per power of two above. */
    private static final int BITS = 7;
    static final int SUB_BUCKETS = 1 << BITS;
    static final int HALF = SUB_BUCKETS / 2;
    /** Largest value kept as itself: 2^36 - 1 ns, about 68.7 s. */
    static final long MAX_VALUE = (1L << 36) - 1;

    private final long[] counts = new long[indexOf(MAX_VALUE) + 1];
    private long count;
    private long max;
    private double sum;

    void record(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value);
        }
        long v = Math.min(value, MAX_VALUE);
        counts[indexOf(v)]++;
        count++;
        sum += v;
        max = Math.max(max, v);
    }

    /** Adds every count of {@code other} to this one. */
    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    long count() {
        return count;
    }

    /** The largest recorded value (capped at {@link #MAX_VALUE}); 0 when empty. */
    long max() {
        return max;
    }

    /** The mean of the recorded values; NaN when empty. */
    double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * The value at percentile {@code p} (0 < p ≤ 100): the highest value of the bucket that holds
     * the sample of rank ceil(p/100 × count), at most {@link #max()}.
     *
     * @throws IllegalStateException if nothing was recorded
     */
    long percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (count == 0) {
            throw new IllegalStateException("no values recorded");
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestInBucket(i), max);
            }
        }
        return max; // unreachable: the counts add up to count
    }

    /**
     * Bucket of a value in [0, MAX_VALUE]: the value itself below {@link #SUB_BUCKETS}; above, with
     * {@code shift} the bits dropped to bring it into [HALF, SUB_BUCKETS), {@code shift * HALF + (v >> shift)}
     * — contiguous, since each shift adds HALF buckets after the previous one.
     */
    static int indexOf(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int shift = 64 - Long.numberOfLeadingZeros(value) - BITS;
        return shift * HALF + (int) (value >>> shift);
    }

    /** The highest value that falls into bucket {@code index}. */
    static long highestInBucket(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int shift = index / HALF - 1;
        long sub = index - (long) shift * HALF;
        return ((sub + 1) << shift) - 1;
    }

    @Override
    public String toString() {
        return count == 0 ? "LatencyHistogram[empty]"
                : "LatencyHistogram[count=" + count + ", p50=" + percentile(50) + ", p99=" + percentile(99)
                        + ", max=" + max + ", nonEmptyBuckets=" + Arrays.stream(counts).filter(c -> c > 0).count() + "]";
    }
}
