package dev.nnc.runtime.train;

/** The running score of an epoch, summed part by part in part order (allocation-free: one per run). */
public final class ScoreSum {
    private double value;

    public void add(double score) {
        value += score;
    }

    public double value() {
        return value;
    }

    void set(double value) {
        this.value = value;
    }
}
