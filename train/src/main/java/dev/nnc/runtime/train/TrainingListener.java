package dev.nnc.runtime.train;

/** What a training run tells its watcher. */
public interface TrainingListener {
    /** After each batch: the running means of the epoch so far. */
    default void batchDone(int epoch, int batch, int batches, double loss, double score) {}

    void epochDone(EpochStats stats);
}
