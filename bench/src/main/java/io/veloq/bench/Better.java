package io.veloq.bench;

/** Which way a score improves; decides the direction of every ratio printed for it. */
public enum Better {
    /** Throughputs: ratio = veloq / baseline. */
    HIGHER,
    /** Latencies, times and bytes: ratio = baseline / veloq. */
    LOWER;

    /**
     * How many times better {@code veloq} is than {@code baseline}: above 1 means Veloq wins,
     * whichever way the unit points. NaN when either side is missing or a divisor is not positive.
     */
    public double ratio(double veloq, double baseline) {
        double numerator = this == HIGHER ? veloq : baseline;
        double denominator = this == HIGHER ? baseline : veloq;
        if (!(numerator >= 0) || !(denominator > 0) || Double.isInfinite(numerator)) {
            return Double.NaN;
        }
        return numerator / denominator;
    }
}
