package dev.nnc.runtime.train;

/** Training stopped between two batches at the user's request, after saving {@link #state()}. */
public final class TrainingInterrupted extends RuntimeException {
    private final transient TrainingState state;

    public TrainingInterrupted(TrainingState state) {
        super("training interrupted in epoch " + (state.epoch() + 1), null, false, false);
        this.state = state;
    }

    public TrainingState state() {
        return state;
    }
}
