package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;

/**
 * Steps on this machine: the batch's rows copied from the data set in the epoch's order
 * and run by a {@link StepRunner} on the given threads. Each part copies its own rows
 * from the data set and augments them, on its own thread: this thread only draws the
 * batch's augmentation seeds. (Until 2026-11-28 the batch was gathered and augmented
 * here before the parts began: with {@code noise} on Fashion-MNIST, 0.8 s of an epoch of
 * 1.5 s on two threads.)
 */
final class LocalSteps implements StepEngine {
    private final Dataset data;
    private final Scores scores;
    private final StepRunner runner;
    private final Rng augmentation;
    /** One per part of a batch: a part augments its rows with the one of its index. */
    private final Augmenter[] augmenters;
    /** This step's augmentation seeds, one per augmentation. */
    private final long[] seeds;
    private final StepRunner.PartConsumer tally;
    private final StepRunner.BatchRows fromData;
    /**
     * Where each part leaves the sum of the values it touched before copying its rows
     * ({@link #touchRows}): kept, so that the compiler cannot drop the reads, and 16 floats
     * (a cache line) apart, so that the cores of two parts never write the same line.
     */
    private final float[] touched;
    private ScoreSum score;
    /** The step's rows: order[first], order[first + 1], ... */
    private int[] order;
    private int first;

    LocalSteps(Network network, ModelSpec spec, TrainSpec train, Dataset data, int batch, int threads) {
        this.data = data;
        this.scores = new Scores(spec);
        this.runner = new StepRunner(network, batch, data.inputWidth(), data.targetWidth(), threads, Trainer.dropoutSeed(train));
        this.augmentation = new Rng(train.seed() * 31 + 11);
        this.augmenters = new Augmenter[(batch + StepRunner.PART_ROWS - 1) / StepRunner.PART_ROWS];
        for (int p = 0; p < augmenters.length; p++) augmenters[p] = new Augmenter(spec, train.augment());
        this.seeds = new long[train.augment().size()];
        this.touched = new float[augmenters.length * 16];
        this.tally = (predictions, targets, rows) -> score.add(scores.score(predictions, targets, 0, rows));
        int inW = data.inputWidth();
        int tW = data.targetWidth();
        this.fromData = (from, to, x, y) -> {
            touchRows(from, to);
            for (int i = from; i < to; i++) data.copyRow(order[first + i], x, (i - from) * inW, y, (i - from) * tW);
            if (seeds.length > 0) augmenters[from / StepRunner.PART_ROWS].apply(seeds, x, from, to - from, inW);
        };
    }

    /** Touches the step's rows [from, to) ({@link Dataset#touch}) before a part copies them. */
    private void touchRows(int from, int to) {
        float sum = 0;
        for (int i = from; i < to; i++) sum += data.touch(order[first + i]);
        touched[from / StepRunner.PART_ROWS * 16] = sum;
    }

    @Override
    public double step(int[] order, int from, int n, double lr, ScoreSum score) {
        this.order = order;
        this.first = from;
        this.score = score;
        Augmenter.drawSeeds(augmentation, seeds);
        return runner.step(fromData, n, lr, tally);
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
