package dev.nnc.runtime.train;

import dev.nnc.runtime.spec.ModelSpec;

/**
 * Metrics from predictions: the fraction of correct classes (argmax, or a threshold
 * for one binary output), or the squared error for regression.
 */
public final class Scores {
    private final ModelSpec spec;
    private final double threshold;

    public Scores(ModelSpec spec) {
        this.spec = spec;
        this.threshold = spec.binaryThreshold();
    }

    /**
     * Correct predictions among n rows (classification), or the sum of squared errors
     * (regression), for predictions of rows [yRow, yRow + n) of the targets y.
     */
    public double score(float[] predictions, float[] y, int yRow, int n) {
        int w = spec.outputWidth();
        if (spec.targetKind() == ModelSpec.TargetKind.REAL) {
            double sum = 0;
            for (int i = 0; i < n * w; i++) {
                double d = predictions[i] - y[yRow * w + i];
                sum += d * d;
            }
            return sum;
        }
        int correct = 0;
        for (int r = 0; r < n; r++) {
            int predicted = predictedClass(predictions, r);
            if (predicted == (int) y[yRow + r]) correct++;
        }
        return correct;
    }

    public int predictedClass(float[] predictions, int row) {
        int w = spec.outputWidth();
        if (spec.targetKind() == ModelSpec.TargetKind.BINARY) return predictions[row] > threshold ? 1 : 0;
        int best = 0;
        for (int j = 1; j < w; j++) {
            if (predictions[row * w + j] > predictions[row * w + best]) best = j;
        }
        return best;
    }

    /** The divisor that turns summed scores into the mean: rows, or elements for regression. */
    public int count(int rows) {
        return spec.targetKind() == ModelSpec.TargetKind.REAL ? rows * spec.outputWidth() : rows;
    }

    /** "accuracy" or "mse". */
    public String name() {
        return spec.isClassification() ? "accuracy" : "mse";
    }
}
