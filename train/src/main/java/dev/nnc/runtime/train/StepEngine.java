package dev.nnc.runtime.train;

import dev.nnc.runtime.Rng;

/**
 * Where the training loop's steps run: on this machine's threads ({@link LocalSteps}),
 * or on a cluster's tasks. Either way a step is the same arithmetic: the batch cut into
 * parts of {@link StepRunner#PART_ROWS} rows, each part's gradients computed alone (its
 * dropout from its own generator), summed in part order, then the update, so that the
 * weights do not depend on where it ran.
 */
public interface StepEngine extends AutoCloseable {
    /**
     * One step on the training rows {@code order[from]}, ..., {@code order[from + n - 1]}
     * with learning rate {@code lr}: returns the loss with the penalty, and adds each
     * part's score to {@code score}, in part order.
     */
    double step(int[] order, int from, int n, double lr, ScoreSum score);

    /** How many generators draw dropout masks: one per part, and the network's for a batch of one part. */
    int dropoutGenerators();

    long[][] dropoutStates();

    void restoreDropoutStates(long[][] states);

    /** The augmentation's generator, whose state a checkpoint saves and a resumed run restores. */
    Rng augmentation();

    @Override
    void close();
}
