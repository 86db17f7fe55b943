package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;

/**
 * Steps on this machine: the batch's rows copied from the data set in the epoch's order,
 * augmented, and run by a {@link StepRunner} on the given threads.
 */
final class LocalSteps implements StepEngine {
    private final Dataset data;
    private final Scores scores;
    private final StepRunner runner;
    private final Rng augmentation;
    private final Augmenter augmenter;
    private final float[] bx;
    private final float[] by;
    private final StepRunner.PartConsumer tally;
    private ScoreSum score;

    LocalSteps(Network network, ModelSpec spec, TrainSpec train, Dataset data, int batch, int threads) {
        this.data = data;
        this.scores = new Scores(spec);
        this.runner = new StepRunner(network, batch, data.inputWidth(), data.targetWidth(), threads, Trainer.dropoutSeed(train));
        this.augmentation = new Rng(train.seed() * 31 + 11);
        this.augmenter = new Augmenter(spec, train.augment(), augmentation);
        this.bx = new float[batch * data.inputWidth()];
        this.by = new float[batch * data.targetWidth()];
        this.tally = (predictions, offset, rows) -> score.add(scores.score(predictions, by, offset, rows));
    }

    @Override
    public double step(int[] order, int from, int n, double lr, ScoreSum score) {
        int inW = data.inputWidth();
        int tW = data.targetWidth();
        for (int i = 0; i < n; i++) data.copyRow(order[from + i], bx, i * inW, by, i * tW);
        augmenter.apply(bx, n, inW);
        this.score = score;
        return runner.step(bx, by, n, lr, tally);
    }

    @Override
    public int dropoutGenerators() {
        return runner.dropoutGenerators();
    }

    @Override
    public long[][] dropoutStates() {
        return runner.dropoutStates();
    }

    @Override
    public void restoreDropoutStates(long[][] states) {
        runner.restoreDropoutStates(states);
    }

    @Override
    public Rng augmentation() {
        return augmentation;
    }

    @Override
    public void close() {
        runner.close();
    }
}
