package dev.nnc.runtime.train;

import java.util.List;

/**
 * Where a training run stands between two batches: with the network's parameters and
 * optimizer state, everything the rest of the run depends on. A checkpoint is this
 * written down, and a run resumed from it goes on exactly as the uninterrupted run would.
 *
 * @param epochs     the run's length in epochs
 * @param epoch      0-based: the epoch in progress, or the next one to start
 * @param row        rows of that epoch already trained (0: its shuffle is still to come)
 * @param lossSum    the epoch's loss so far, summed over rows
 * @param scoreSum   the epoch's running score so far (correct rows, or squared error)
 * @param seconds    time spent in the epoch so far (reported, never compared)
 * @param order      the row order of the epoch (each epoch shuffles the last one's)
 * @param shuffler   the state of the generator that shuffles
 * @param augmenter  the state of the generator that augments
 * @param dropout    the states of the dropout generators: the network's, then each replica's
 * @param history    the finished epochs
 * @param best       early stopping's memory, or null without early stopping
 * @param stopReason why the run ended before its last epoch, or null
 */
public record TrainingState(int epochs, int epoch, int row, double lossSum, double scoreSum, double seconds,
                            int[] order, long[] shuffler, long[] augmenter, long[][] dropout,
                            List<EpochStats> history, Best best, String stopReason) {

    /** The best weights early stopping has seen, their metric and epoch, and the epochs since. */
    public record Best(double value, int epoch, int waited, float[][] weights) {}
}
