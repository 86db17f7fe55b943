package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.data.Dataset;

import java.util.Locale;
import java.util.Optional;

/**
 * Relu units that output 0 for every sample: they pass no gradient, so they no longer
 * learn. Counted on up to {@link #ROWS} training rows after the run (about 20 ms on the
 * Fashion-MNIST network, 1% of an epoch); the weights are not touched.
 */
public final class DeadUnits {
    static final int ROWS = 2048;
    /** Below this share of dead units in every stage, say nothing. */
    private static final double WORTH_SAYING = 0.25;

    private DeadUnits() {}

    /** A hint naming each relu stage where at least a quarter of the units never fire, or nothing. */
    public static Optional<String> hint(Network network, Dataset data) {
        int rows = Math.min(ROWS, data.rows());
        if (rows == 0 || network.reluOutputs().length == 0) return Optional.empty();
        int batch = network.maxBatch();
        float[][] outputs = network.reluOutputs();
        boolean[][] fired = new boolean[outputs.length][];
        for (int s = 0; s < outputs.length; s++) fired[s] = new boolean[outputs[s].length / batch];
        float[] x = new float[batch * data.inputWidth()];
        float[] y = new float[batch * data.targetWidth()];
        for (int from = 0; from < rows; from += batch) {
            int n = Math.min(batch, rows - from);
            data.copyRows(from, n, x, y);
            // evaluate, not predict: validation has already made its kernels warm
            network.evaluate(x, y, n);
            for (int s = 0; s < outputs.length; s++) {
                int width = fired[s].length;
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < width; j++) if (outputs[s][r * width + j] > 0) fired[s][j] = true;
                }
            }
        }
        StringBuilder stages = new StringBuilder();
        for (int s = 0; s < fired.length; s++) {
            int dead = 0;
            for (boolean f : fired[s]) if (!f) dead++;
            if (dead < WORTH_SAYING * fired[s].length) continue;
            stages.append(stages.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "%d of the %d units of relu %d (%.0f%%)",
                    dead, fired[s].length, s + 1, 100.0 * dead / fired[s].length));
        }
        if (stages.length() == 0) return Optional.empty();
        return Optional.of(stages + " never fire on " + rows + " training samples: they pass no gradient and no longer "
                + "learn; leaky_relu keeps them alive (or lower the learning rate)");
    }
}
