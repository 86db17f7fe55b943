package dev.nnc.spark;

import java.util.Locale;

/**
 * Where a cluster run's time goes, per step or round: its whole time on the driver, and
 * the longest task's computation in it; the rest is the exchange (broadcasting weights,
 * scheduling, collecting results) and the driver's own work (the sum, the update).
 */
final class Timing {
    private final String unit;
    private long count;
    private long totalNanos;
    private long computeNanos;

    Timing(String unit) {
        this.unit = unit;
    }

    void add(long total, long compute) {
        count++;
        totalNanos += total;
        computeNanos += compute;
    }

    /** "938 steps: 41.2 ms a step, of which 1.3 ms the longest task's computation and 39.9 ms exchange and update" */
    @Override
    public String toString() {
        if (count == 0) return "no " + unit + "s";
        double total = totalNanos / 1e6 / count;
        double compute = computeNanos / 1e6 / count;
        return String.format(Locale.ROOT, "%d %ss: %.1f ms a %s, of which %.1f ms the longest task's computation and "
                + "%.1f ms exchange and update", count, unit, total, unit, compute, total - compute);
    }
}
