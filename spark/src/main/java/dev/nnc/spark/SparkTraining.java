package dev.nnc.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * How {@link NncSpark#train} trains.
 *
 * @param mode       {@link Mode#SYNC}, the same steps as one machine, or {@link Mode#AVERAGE}
 * @param localSteps in AVERAGE mode, the steps each partition takes between two averages
 * @param epochs     the number of epochs instead of the model's, or null
 * @param test       rows to test the trained model on (else the model's test split, if it has one), or null
 * @param out        a folder for metrics.json, history.csv and weights.safetensors, as `nnc train --out`, or null
 * @param progress   where the progress bar and the epoch lines go, or null for none
 * @param taskHook   runs before each task's part of a step (tests make a task fail with it), or null
 */
public record SparkTraining(Mode mode, int localSteps, Integer epochs, Dataset<Row> test, Path out, PrintWriter progress,
                            TaskHook taskHook) {

    public enum Mode {
        /** Every step, gradients of the batch's parts on the executors, one update on the driver: bit-identical to one machine. */
        SYNC,
        /** Each partition trains on its own rows for {@code localSteps} steps, then the driver averages weights and optimizer state. */
        AVERAGE
    }

    public static SparkTraining sync() {
        return new SparkTraining(Mode.SYNC, 0, null, null, null, null, null);
    }

    public static SparkTraining average(int localSteps) {
        return new SparkTraining(Mode.AVERAGE, localSteps, null, null, null, null, null);
    }

    public SparkTraining withEpochs(Integer epochs) {
        return new SparkTraining(mode, localSteps, epochs, test, out, progress, taskHook);
    }

    public SparkTraining withTest(Dataset<Row> test) {
        return new SparkTraining(mode, localSteps, epochs, test, out, progress, taskHook);
    }

    public SparkTraining withOut(Path out) {
        return new SparkTraining(mode, localSteps, epochs, test, out, progress, taskHook);
    }

    public SparkTraining withProgress(PrintWriter progress) {
        return new SparkTraining(mode, localSteps, epochs, test, out, progress, taskHook);
    }

    public SparkTraining withTaskHook(TaskHook hook) {
        return new SparkTraining(mode, localSteps, epochs, test, out, progress, hook);
    }
}
