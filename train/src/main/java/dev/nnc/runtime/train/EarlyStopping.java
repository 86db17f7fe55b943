package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.spec.TrainSpec.EarlyStop;

/**
 * Watches a metric (lower is better for losses, higher for accuracies), keeps a copy
 * of the best weights, and says when it has not improved by min_delta for patience
 * epochs.
 */
final class EarlyStopping {
    private final EarlyStop config;
    private final Network network;
    private final boolean lowerIsBetter;
    private final float[][] best;
    private double bestValue;
    private int bestEpoch;
    private int waited;

    EarlyStopping(EarlyStop config, Network network) {
        this.config = config;
        this.network = network;
        this.lowerIsBetter = config.monitor().endsWith("loss");
        float[][] parameters = network.parameters();
        this.best = new float[parameters.length][];
        for (int i = 0; i < parameters.length; i++) best[i] = parameters[i].clone();
        this.bestValue = lowerIsBetter ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    boolean shouldStop(EpochStats stats) {
        double value = stats.metric(config.monitor());
        boolean improved = lowerIsBetter ? value < bestValue - config.minDelta() : value > bestValue + config.minDelta();
        if (improved) {
            bestValue = value;
            bestEpoch = stats.epoch();
            waited = 0;
            float[][] parameters = network.parameters();
            for (int i = 0; i < parameters.length; i++) System.arraycopy(parameters[i], 0, best[i], 0, best[i].length);
            return false;
        }
        return ++waited >= config.patience();
    }

    /** What it remembers, copied, for a checkpoint. */
    TrainingState.Best snapshot() {
        float[][] weights = new float[best.length][];
        for (int i = 0; i < best.length; i++) weights[i] = best[i].clone();
        return new TrainingState.Best(bestValue, bestEpoch, waited, weights);
    }

    /** Remembers what a checkpoint recorded. */
    void restore(TrainingState.Best saved) {
        bestValue = saved.value();
        bestEpoch = saved.epoch();
        waited = saved.waited();
        for (int i = 0; i < best.length; i++) System.arraycopy(saved.weights()[i], 0, best[i], 0, best[i].length);
    }

    /** Puts the best weights back; returns their epoch. */
    int restoreBest() {
        if (bestEpoch == 0) return 0;
        float[][] parameters = network.parameters();
        for (int i = 0; i < parameters.length; i++) System.arraycopy(best[i], 0, parameters[i], 0, best[i].length);
        return bestEpoch;
    }
}
