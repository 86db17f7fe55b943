package dev.nnc.runtime.spec;

import java.util.List;

/**
 * The {@code train { ... }} block, checked and with defaults filled in.
 *
 * @param batch samples per step; 0 means the whole training set ({@code batch all})
 * @param earlyStop null when absent
 * @param until null when absent
 * @param checkpointEvery epochs between two checkpoints, when a run has somewhere to write them
 */
public record TrainSpec(
        int epochs,
        int batch,
        boolean shuffle,
        double validation,
        EarlyStop earlyStop,
        ScheduleSpec schedule,
        List<AugmentSpec> augment,
        StopCondition until,
        long seed,
        int checkpointEvery) {

    public TrainSpec withEpochs(int n) {
        return new TrainSpec(n, batch, shuffle, validation, earlyStop, schedule, augment, until, seed, checkpointEvery);
    }

    public TrainSpec withCheckpointEvery(int n) {
        return new TrainSpec(epochs, batch, shuffle, validation, earlyStop, schedule, augment, until, seed, n);
    }

    public record EarlyStop(String monitor, int patience, double minDelta) {}

    /** Stop when {@code metric op value} holds after an epoch, e.g. {@code loss < 0.01}. */
    public record StopCondition(String metric, String operator, double value) {
        public boolean holds(double actual) {
            return switch (operator) {
                case "<" -> actual < value;
                case "<=" -> actual <= value;
                case ">" -> actual > value;
                case ">=" -> actual >= value;
                default -> throw new IllegalStateException("comparison " + operator);
            };
        }
    }

    /**
     * A learning-rate schedule: {@code kind} is constant, step, exponential or cosine,
     * after {@code warmupEpochs} of linear warm-up (0 for none).
     */
    public record ScheduleSpec(String kind, int warmupEpochs, int every, double factor, double gamma, double minLr) {
        public static final ScheduleSpec CONSTANT = new ScheduleSpec("constant", 0, 0, 1, 1, 0);
    }

    /** One augmentation: noise(std), shift(pixels, shape) or flip(shape). */
    public record AugmentSpec(String kind, double std, int pixels, List<Integer> shape) {}
}
