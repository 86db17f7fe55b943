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
 * best weights) and {@code until}. Everything random comes from the seed, and
 * everything the loop carries from one batch to the next is a {@link TrainingState}:
 * saved as checkpoints, a run can stop between any two batches and go on as if it had
 * not.
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
        return fit(data, validation, threads, listener, Checkpoints.NONE, null);
    }

    /**
     * Trains from the start, or from {@code resume} (a state saved by an earlier run of
     * the same model on the same data, whose network already holds the saved weights and
     * optimizer state). Throws {@link TrainingInterrupted} when {@code checkpoints} asks
     * to stop, after saving.
     */
    public Result fit(Dataset data, Dataset validation, int threads, TrainingListener listener,
                      Checkpoints checkpoints, TrainingState resume) {
        int batch = batchSize(train, data.rows());
        try (StepRunner runner = new StepRunner(network, batch, data.inputWidth(), data.targetWidth(), threads,
                train.seed() * 31 + 13)) {
            Run run = new Run(data, validation, listener, checkpoints, runner, batch);
            if (resume != null) run.restore(resume);
            return run.toEnd();
        }
    }

    /** One run of the loop: its buffers, generators and position. */
    private final class Run {
        private final Dataset data;
        private final Dataset validation;
        private final TrainingListener listener;
        private final Checkpoints checkpoints;
        private final StepRunner runner;
        private final int batch;
        private final float[] bx;
        private final float[] by;
        private final Rng shuffler = new Rng(train.seed() * 31 + 7);
        private final Rng augmentation = new Rng(train.seed() * 31 + 11);
        private final Augmenter augmenter;
        private final EarlyStopping early;
        private final List<EpochStats> history = new ArrayList<>();
        private int[] order;
        private int epoch;
        private int row;
        private double lossSum;
        private double secondsBefore;
        private String stopReason;

        Run(Dataset data, Dataset validation, TrainingListener listener, Checkpoints checkpoints, StepRunner runner, int batch) {
            this.data = data;
            this.validation = validation;
            this.listener = listener;
            this.checkpoints = checkpoints;
            this.runner = runner;
            this.batch = batch;
            this.bx = new float[batch * data.inputWidth()];
            this.by = new float[batch * data.targetWidth()];
            this.augmenter = new Augmenter(spec, train.augment(), augmentation);
            this.early = train.earlyStop() == null ? null : new EarlyStopping(train.earlyStop(), network);
            this.order = new int[data.rows()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            tally.targets = by;
        }

        Result toEnd() {
            while (epoch < train.epochs() && stopReason == null) {
                trainEpoch();
                boolean finished = epoch == train.epochs() || stopReason != null;
                boolean stop = !finished && checkpoints.stopRequested();
                if (finished || stop || checkpoints.dueAfter(epoch)) checkpoints.save(state(0));
                if (stop) throw new TrainingInterrupted(state(0));
            }
            int best = history.size();
            if (early != null) best = early.restoreBest();
            return new Result(List.copyOf(history), best, stopReason);
        }

        /** The rest of the epoch in progress, then its validation and stopping rules. */
        private void trainEpoch() {
            long start = System.nanoTime();
            double lr = Schedule.rate(train.schedule(), baseLr, epoch, train.epochs());
            if (row == 0) {
                if (train.shuffle() && batch < data.rows()) shuffler.shuffle(order);
                lossSum = 0;
                tally.sum = 0;
                secondsBefore = 0;
            }
            int batches = (data.rows() + batch - 1) / batch;
            while (row < data.rows()) {
                if (row > 0 && checkpoints.stopRequested()) interrupt(System.nanoTime() - start);
                int n = Math.min(batch, data.rows() - row);
                trainBatch(n, lr);
                row += n;
                listener.batchDone(epoch + 1, (row + batch - 1) / batch, batches, lossSum / row, tally.sum / scores.count(row));
            }
            double valLoss = Double.NaN;
            double valScore = Double.NaN;
            if (validation != null) {
                Evaluation v = Evaluation.of(network, scores, validation);
                valLoss = v.loss();
                valScore = v.score();
            }
            EpochStats stats = new EpochStats(epoch + 1, lr, lossSum / data.rows(), tally.sum / scores.count(data.rows()),
                    valLoss, valScore, secondsBefore + (System.nanoTime() - start) / 1e9);
            history.add(stats);
            epoch++;
            row = 0;
            listener.epochDone(stats);
            if (early != null && early.shouldStop(stats)) {
                stopReason = "early stop: " + train.earlyStop().monitor() + " did not improve for "
                        + train.earlyStop().patience() + " epochs";
            } else if (train.until() != null && train.until().holds(stats.metric(train.until().metric()))) {
                stopReason = "reached " + train.until().metric() + " " + train.until().operator() + " " + train.until().value();
            }
        }

        private void trainBatch(int n, double lr) {
            int inW = data.inputWidth();
            int tW = data.targetWidth();
            for (int i = 0; i < n; i++) {
                data.copyRow(order[row + i], bx, i * inW, by, i * tW);
            }
            augmenter.apply(bx, n, inW);
            double loss = runner.step(bx, by, n, lr, tally);
            if (!Double.isFinite(loss)) {
                throw new UserError("error: training diverged: the loss is " + loss + " in epoch " + (epoch + 1)
                        + ", batch " + (row / batch + 1) + "; try a smaller learning rate (it was " + lr + ")");
            }
            lossSum += loss * n;
        }

        private void interrupt(long nanosInEpoch) {
            TrainingState state = state(nanosInEpoch);
            checkpoints.save(state);
            throw new TrainingInterrupted(state);
        }

        TrainingState state(long nanosInEpoch) {
            return new TrainingState(train.epochs(), epoch, row, lossSum, tally.sum, secondsBefore + nanosInEpoch / 1e9,
                    order.clone(), shuffler.state(), augmentation.state(), runner.dropoutStates(), List.copyOf(history),
                    early == null ? null : early.snapshot(), stopReason);
        }

        void restore(TrainingState s) {
            checkFits(s);
            epoch = s.epoch();
            row = s.row();
            lossSum = s.lossSum();
            tally.sum = s.scoreSum();
            secondsBefore = s.seconds();
            order = s.order().clone();
            shuffler.restore(s.shuffler());
            augmentation.restore(s.augmenter());
            runner.restoreDropoutStates(s.dropout());
            history.addAll(s.history());
            if (early != null && s.best() != null) early.restore(s.best());
            stopReason = s.stopReason();
        }

        /** A saved state that cannot be this run's: a damaged checkpoint (its digests matched). */
        private void checkFits(TrainingState s) {
            String problem = null;
            if (s.order().length != order.length) {
                problem = "its row order has " + s.order().length + " rows, the data " + order.length;
            } else if (!isPermutation(s.order())) {
                problem = "its row order is not a permutation of the rows";
            } else if (s.row() < 0 || s.row() >= Math.max(1, data.rows()) || s.epoch() < 0 || s.history().size() != s.epoch()) {
                problem = "its position (epoch " + s.epoch() + ", row " + s.row() + ") does not fit its history";
            } else if (s.dropout().length != runner.dropoutGenerators()) {
                problem = "it has " + s.dropout().length + " dropout generators, this run " + runner.dropoutGenerators();
            }
            if (problem != null) throw new UserError("error: the checkpoint does not fit this run: " + problem);
        }

        private static boolean isPermutation(int[] order) {
            boolean[] seen = new boolean[order.length];
            for (int i : order) {
                if (i < 0 || i >= order.length || seen[i]) return false;
                seen[i] = true;
            }
            return true;
        }
    }
}
