package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The training loop around the generated code: epochs of shuffled batches, the
 * learning-rate schedule, augmentation, validation, early stopping (which restores the
 * best weights) and {@code until}. Everything random comes from the seed.
 */
public final class Trainer {
    private final Network network;
    private final ModelSpec spec;
    private final TrainSpec train;
    private final double baseLr;
    private final Scores scores;
    private final Tally tally;

    /** Sums the running score of an epoch from each part's predictions, without allocating. */
    private static final class Tally implements StepRunner.PartConsumer {
        private final Scores scores;
        private float[] targets;
        double sum;

        Tally(Scores scores) {
            this.scores = scores;
        }

        void reset(float[] batchTargets) {
            targets = batchTargets;
            sum = 0;
        }

        @Override
        public void accept(float[] predictions, int offset, int rows) {
            sum += scores.score(predictions, targets, offset, rows);
        }
    }

    public Trainer(Network network, ModelSpec spec, TrainSpec train, double baseLr) {
        this.network = network;
        this.spec = spec;
        this.train = train;
        this.baseLr = baseLr;
        this.scores = new Scores(spec);
        this.tally = new Tally(scores);
    }

    /** {@code stopReason}: why training ended before its last epoch, or null. */
    public record Result(List<EpochStats> history, int bestEpoch, String stopReason) {}

    /** The batch size for a training set of this many rows. */
    public static int batchSize(TrainSpec train, int rows) {
        return train.batch() == 0 ? rows : Math.min(train.batch(), rows);
    }

    public Result fit(Dataset data, Dataset validation, int threads, TrainingListener listener) {
        int batch = batchSize(train, data.rows());
        int inW = data.inputWidth();
        int tW = data.targetWidth();
        float[] bx = new float[batch * inW];
        float[] by = new float[batch * tW];
        int[] order = new int[data.rows()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Rng shuffler = new Rng(train.seed() * 31 + 7);
        Augmenter augmenter = new Augmenter(spec, train.augment(), new Rng(train.seed() * 31 + 11));
        try (StepRunner runner = new StepRunner(network, batch, inW, tW, threads, train.seed() * 31 + 13)) {
            return fit(data, validation, listener, runner, batch, bx, by, order, shuffler, augmenter);
        }
    }

    private Result fit(Dataset data, Dataset validation, TrainingListener listener, StepRunner runner, int batch,
                       float[] bx, float[] by, int[] order, Rng shuffler, Augmenter augmenter) {
        int inW = data.inputWidth();
        int tW = data.targetWidth();

        List<EpochStats> history = new ArrayList<>();
        EarlyStopping early = train.earlyStop() == null ? null : new EarlyStopping(train.earlyStop(), network);
        String stopReason = null;
        for (int epoch = 0; epoch < train.epochs(); epoch++) {
            long start = System.nanoTime();
            double lr = Schedule.rate(train.schedule(), baseLr, epoch, train.epochs());
            if (train.shuffle() && batch < data.rows()) shuffler.shuffle(order);
            double lossSum = 0;
            tally.reset(by);
            int batchIndex = 0;
            int batches = (data.rows() + batch - 1) / batch;
            int rowsDone = 0;
            for (int from = 0; from < data.rows(); from += batch, batchIndex++) {
                int n = Math.min(batch, data.rows() - from);
                for (int i = 0; i < n; i++) {
                    System.arraycopy(data.x(), order[from + i] * inW, bx, i * inW, inW);
                    System.arraycopy(data.y(), order[from + i] * tW, by, i * tW, tW);
                }
                augmenter.apply(bx, n, inW);
                double loss = runner.step(bx, by, n, lr, tally);
                if (!Double.isFinite(loss)) {
                    throw new UserError("error: training diverged: the loss is " + loss + " in epoch " + (epoch + 1)
                            + ", batch " + (batchIndex + 1) + "; try a smaller learning rate (it was " + lr + ")");
                }
                lossSum += loss * n;
                rowsDone += n;
                listener.batchDone(epoch + 1, batchIndex + 1, batches, lossSum / rowsDone, tally.sum / scores.count(rowsDone));

            }
            double valLoss = Double.NaN;
            double valScore = Double.NaN;
            if (validation != null) {
                Evaluation v = Evaluation.of(network, scores, validation);
                valLoss = v.loss();
                valScore = v.score();
            }
            EpochStats stats = new EpochStats(epoch + 1, lr, lossSum / data.rows(), tally.sum / scores.count(data.rows()),
                    valLoss, valScore, (System.nanoTime() - start) / 1e9);
            history.add(stats);
            listener.epochDone(stats);
            if (early != null && early.shouldStop(stats)) {
                stopReason = "early stop: " + train.earlyStop().monitor() + " did not improve for "
                        + train.earlyStop().patience() + " epochs";
                break;
            }
            if (train.until() != null && train.until().holds(stats.metric(train.until().metric()))) {
                stopReason = "reached " + train.until().metric() + " " + train.until().operator() + " " + train.until().value();
                break;
            }
        }
        int best = history.size();
        if (early != null) best = early.restoreBest();
        return new Result(history, best, stopReason);
    }
}
