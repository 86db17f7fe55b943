package dev.nnc.tests;

import dev.nnc.runtime.ModelClass;
import dev.nnc.runtime.Network;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.train.*;
import dev.nnc.runtime.weights.Preprocessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run stopped between any two batches, saved as a checkpoint and resumed (on another
 * number of threads, into a network that started from other weights) ends with the
 * same bits as the run that was never stopped: every random stream, the optimizer's
 * state, the running sums of the epoch and early stopping's memory travel with it.
 */
class ResumeTest {
    /** Everything that carries state across batches: Adam, dropout, noise, a schedule, early stopping. */
    static final String MODEL = """
            model Stateful {
                input  x: [12]
                target y: class[3]
                output p = x -> dense(24) -> relu -> dropout(0.25) -> dense(3) -> softmax
                loss      cross_entropy(p, y)
                optimizer adam(lr = 0.01)
                train {
                    epochs     6
                    batch      50
                    validation 20%
                    schedule   cosine()
                    augment    noise(std = 0.1)
                    early_stop(monitor = val_loss, patience = 2)
                    seed       5
                }
            }
            """;

    @TempDir
    Path dir;

    /** Rows of 12 features whose class is the largest of three random projections. */
    static Dataset data(int rows, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[rows * 12];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            double[] score = new double[3];
            for (int j = 0; j < 12; j++) {
                x[r * 12 + j] = (float) rng.nextGaussian();
                for (int c = 0; c < 3; c++) score[c] += x[r * 12 + j] * Math.sin(1 + j * 3 + c);
            }
            y[r] = score[0] > score[1] ? (score[0] > score[2] ? 0 : 2) : (score[1] > score[2] ? 1 : 2);
        }
        return new Dataset("test", x, y, rows, 12, 1);
    }

    /** Saves to a file; asks to stop at its n-th question (each batch after an epoch's first, and each epoch's end). */
    private static final class StopAt implements Checkpoints {
        private final Path file;
        private final ModelSpec spec;
        private final Network network;
        private int questions;
        private final int stopAt;
        boolean saved;

        StopAt(int stopAt, Path file, ModelSpec spec, Network network) {
            this.stopAt = stopAt;
            this.file = file;
            this.spec = spec;
            this.network = network;
        }

        @Override
        public boolean dueAfter(int epoch) {
            return false;
        }

        @Override
        public boolean stopRequested() {
            return ++questions == stopAt;
        }

        @Override
        public void save(TrainingState state) {
            try {
                CheckpointFile.write(file, spec, network, Preprocessor.none(12), "digest", state);
                saved = true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void aRunStoppedBetweenAnyTwoBatchesAndResumedEndsWithTheSameBits() {
        ModelClass model = Models.compile(MODEL);
        ModelSpec spec = model.spec();
        Dataset train = data(600, 1);
        Dataset validation = data(150, 2);

        Network reference = model.create(50);
        Initializer.initialize(reference, spec, spec.train().seed());
        Trainer.Result expected = new Trainer(reference, spec, spec.train(), spec.learningRate())
                .fit(train, validation, 2, stats -> { });
        assertTrue(expected.history().size() >= 3, "long enough to stop in several epochs");

        int resumedRuns = 0;
        // 12 batches an epoch: questions 1-11 come before batches 2-12, the 12th at the epoch's end
        for (int stopAt : List.of(1, 5, 11, 12, 13, 24, 30, 36, 40)) {
            int threads = 1 + stopAt % 3;
            Path file = dir.resolve("checkpoint-" + stopAt + ".safetensors");
            Network first = model.create(50);
            Initializer.initialize(first, spec, spec.train().seed());
            StopAt stop = new StopAt(stopAt, file, spec, first);
            Trainer.Result uninterrupted = null;
            try {
                uninterrupted = new Trainer(first, spec, spec.train(), spec.learningRate())
                        .fit(train, validation, threads, stats -> { }, stop, null);
            } catch (TrainingInterrupted e) {
                assertTrue(stop.saved);
            }
            if (uninterrupted != null) continue; // early stopping ended the run before this question

            Network second = model.create(50);
            Initializer.initialize(second, spec, 999); // other weights: the checkpoint's must replace them
            TrainingState state = CheckpointFile.read(file, spec, "digest", second);
            Trainer.Result resumed = new Trainer(second, spec, spec.train(), spec.learningRate())
                    .fit(train, validation, 3 - threads % 2, stats -> { }, Checkpoints.NONE, state);
            resumedRuns++;

            assertEquals(withoutTimes(expected.history()), withoutTimes(resumed.history()), "history, stopped at " + stopAt);
            assertEquals(expected.bestEpoch(), resumed.bestEpoch());
            assertEquals(expected.stopReason(), resumed.stopReason());
            for (int i = 0; i < reference.parameters().length; i++) {
                assertArrayEquals(reference.parameters()[i], second.parameters()[i], "parameter " + i + ", stopped at " + stopAt);
            }
        }
        assertTrue(resumedRuns >= 6, resumedRuns + " runs stopped and resumed");
    }

    static List<EpochStats> withoutTimes(List<EpochStats> history) {
        return history.stream().map(s -> new EpochStats(s.epoch(), s.lr(), s.loss(), s.score(), s.valLoss(), s.valScore(), 0))
                .toList();
    }
}
