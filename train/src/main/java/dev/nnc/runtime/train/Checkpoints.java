package dev.nnc.runtime.train;

/**
 * What the training loop asks of whoever keeps checkpoints: when to save, whether the
 * user asked the run to stop (checked between batches), and the saving itself.
 */
public interface Checkpoints {
    /** Whether to save once the epoch (1-based) has ended. */
    boolean dueAfter(int epoch);

    /** Whether to save and stop before the next batch. */
    boolean stopRequested();

    void save(TrainingState state);

    /** No checkpoints: a run that cannot be resumed. */
    Checkpoints NONE = new Checkpoints() {
        @Override
        public boolean dueAfter(int epoch) {
            return false;
        }

        @Override
        public boolean stopRequested() {
            return false;
        }

        @Override
        public void save(TrainingState state) {
        }
    };
}
