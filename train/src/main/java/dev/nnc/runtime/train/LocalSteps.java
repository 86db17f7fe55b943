package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;

/**
 * Steps on this machine: the batch's rows copied from the data set in the epoch's order
 * and run by a {@link StepRunner} on the given threads. Each part copies its own rows
 * from the data set; when the model augments its inputs, the batch is gathered and
 * augmented first, in order, since the augmentation's draws go row by row.
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
    private final StepRunner.BatchRows fromData;
    private final StepRunner.BatchRows fromBatch;
    private ScoreSum score;
    /** The step's rows: order[first], order[first + 1], ... */
    private int[] order;
    private int first;

    LocalSteps(Network network, ModelSpec spec, TrainSpec train, Dataset data, int batch, int threads) {
        this.data = data;
        this.scores = new Scores(spec);
        this.runner = new StepRunner(network, batch, data.inputWidth(), data.targetWidth(), threads, Trainer.dropoutSeed(train));
        this.augmentation = new Rng(train.seed() * 31 + 11);
        this.augmenter = new Augmenter(spec, train.augment(), augmentation);
        this.bx = new float[batch * data.inputWidth()];
        this.by = new float[batch * data.targetWidth()];
        this.tally = (predictions, targets, rows) -> score.add(scores.score(predictions, targets, 0, rows));
        int inW = data.inputWidth();
        int tW = data.targetWidth();
        this.fromData = (from, to, x, y) -> {
            for (int i = from; i < to; i++) data.copyRow(order[first + i], x, (i - from) * inW, y, (i - from) * tW);
        };
        this.fromBatch = (from, to, x, y) -> {
            System.arraycopy(bx, from * inW, x, 0, (to - from) * inW);
            System.arraycopy(by, from * tW, y, 0, (to - from) * tW);
        };
    }

    @Override
    public double step(int[] order, int from, int n, double lr, ScoreSum score) {
        this.order = order;
        this.first = from;
        this.score = score;
        if (augmenter.count() == 0) return runner.step(fromData, n, lr, tally);
        fromData.copy(0, n, bx, by);
        augmenter.apply(bx, n, data.inputWidth());
        return runner.step(fromBatch, n, lr, tally);
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
