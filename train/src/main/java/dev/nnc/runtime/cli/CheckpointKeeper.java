package dev.nnc.runtime.cli;

import dev.nnc.runtime.Network;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.train.CheckpointFile;
import dev.nnc.runtime.train.Checkpoints;
import dev.nnc.runtime.train.TrainingState;
import dev.nnc.runtime.weights.Preprocessor;

import java.io.IOException;

/** Checkpoints into a run's folder every {@code period} epochs, and when Ctrl-C asks to stop. */
final class CheckpointKeeper implements Checkpoints {
    private final RunFolder folder;
    private final ModelSpec spec;
    private final Network network;
    private final Preprocessor preprocessor;
    private final String dataDigest;
    private final int period;
    private final InterruptRequest interrupt;

    CheckpointKeeper(RunFolder folder, ModelSpec spec, Network network, Preprocessor preprocessor, String dataDigest,
                     int period, InterruptRequest interrupt) {
        this.folder = folder;
        this.spec = spec;
        this.network = network;
        this.preprocessor = preprocessor;
        this.dataDigest = dataDigest;
        this.period = period;
        this.interrupt = interrupt;
    }

    @Override
    public boolean dueAfter(int epoch) {
        return epoch % period == 0;
    }

    @Override
    public boolean stopRequested() {
        return interrupt != null && interrupt.requested();
    }

    @Override
    public void save(TrainingState state) {
        try {
            CheckpointFile.write(folder.checkpoint(), spec, network, preprocessor, dataDigest, state);
        } catch (IOException e) {
            throw new UserError(folder.checkpoint() + ": error: cannot write the checkpoint: " + e.getMessage(), e);
        }
    }
}
