package dev.nnc.runtime.train;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

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

    public Trainer(Network network, ModelSpec spec, TrainSpec train, double baseLr) {
        this.network = network;
        this.spec = spec;
        this.train = train;
        this.baseLr = baseLr;
        this.scores = new Scores(spec);
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
        try (StepEngine steps = new LocalSteps(network, spec, train, data, batch, threads)) {
            return fit(data.rows(), steps, validation == null ? null : () -> Evaluation.of(network, scores, validation),
                    listener, checkpoints, resume);
        }
    }

    /**
     * The loop over {@code rows} training rows whose steps run in {@code steps}, which
     * holds the data; {@code validation} evaluates the network on the validation rows
     * (null when there are none).
     */
    public Result fit(int rows, StepEngine steps, Supplier<Evaluation> validation, TrainingListener listener,
                      Checkpoints checkpoints, TrainingState resume) {
        return fit(rows, batchSize(train, rows), steps, validation, listener, checkpoints, resume);
    }

    /** The same with steps of {@code stepRows} rows instead of the model's batch (an engine whose step is several batches). */
    public Result fit(int rows, int stepRows, StepEngine steps, Supplier<Evaluation> validation, TrainingListener listener,
                      Checkpoints checkpoints, TrainingState resume) {
        Run run = new Run(rows, validation, listener, checkpoints, steps, stepRows);
        if (resume != null) run.restore(resume);
        return run.toEnd();
    }

    /** The seed of the generators of dropout: the network's, and each replica's after it (see {@link StepRunner}). */
    public static long dropoutSeed(TrainSpec train) {
        return train.seed() * 31 + 13;
    }

    /** One run of the loop: its buffers, generators and position. */
    private final class Run {
        private final int rows;
        private final Supplier<Evaluation> validation;
        private final TrainingListener listener;
        private final Checkpoints checkpoints;
        private final StepEngine steps;
        private final int batch;
        private final Rng shuffler = new Rng(train.seed() * 31 + 7);
        private final ScoreSum tally = new ScoreSum();
        private final EarlyStopping early;
        private final List<EpochStats> history = new ArrayList<>();
        private int[] order;
        private int epoch;
        private int row;
        private double lossSum;
        private double secondsBefore;
        private String stopReason;

        Run(int rows, Supplier<Evaluation> validation, TrainingListener listener, Checkpoints checkpoints, StepEngine steps,
            int batch) {
            this.rows = rows;
            this.validation = validation;
            this.listener = listener;
            this.checkpoints = checkpoints;
            this.steps = steps;
            this.batch = batch;
            this.early = train.earlyStop() == null ? null : new EarlyStopping(train.earlyStop(), network);
            this.order = new int[rows];
            for (int i = 0; i < order.length; i++) order[i] = i;
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
                if (train.shuffle() && batch < rows) shuffler.shuffle(order);
                lossSum = 0;
                tally.set(0);
                secondsBefore = 0;
            }
            int batches = (rows + batch - 1) / batch;
            while (row < rows) {
                if (row > 0 && checkpoints.stopRequested()) interrupt(System.nanoTime() - start);
                int n = Math.min(batch, rows - row);
                trainBatch(n, lr);
                row += n;
                listener.batchDone(epoch + 1, (row + batch - 1) / batch, batches, lossSum / row, tally.value() / scores.count(row));
            }
            double valLoss = Double.NaN;
            double valScore = Double.NaN;
            if (validation != null) {
                Evaluation v = validation.get();
                valLoss = v.loss();
                valScore = v.score();
            }
            EpochStats stats = new EpochStats(epoch + 1, lr, lossSum / rows, tally.value() / scores.count(rows),
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
            double loss = steps.step(order, row, n, lr, tally);
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
            return new TrainingState(train.epochs(), epoch, row, lossSum, tally.value(), secondsBefore + nanosInEpoch / 1e9,
                    order.clone(), shuffler.state(), steps.augmentation().state(), steps.dropoutStates(), List.copyOf(history),
                    early == null ? null : early.snapshot(), stopReason);
        }

        void restore(TrainingState s) {
            checkFits(s);
            epoch = s.epoch();
            row = s.row();
            lossSum = s.lossSum();
            tally.set(s.scoreSum());
            secondsBefore = s.seconds();
            order = s.order().clone();
            shuffler.restore(s.shuffler());
            steps.augmentation().restore(s.augmenter());
            steps.restoreDropoutStates(s.dropout());
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
            } else if (s.row() < 0 || s.row() >= Math.max(1, rows) || s.epoch() < 0 || s.history().size() != s.epoch()) {
                problem = "its position (epoch " + s.epoch() + ", row " + s.row() + ") does not fit its history";
            } else if (s.dropout().length != steps.dropoutGenerators()) {
                problem = "it has " + s.dropout().length + " dropout generators, this run " + steps.dropoutGenerators();
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
