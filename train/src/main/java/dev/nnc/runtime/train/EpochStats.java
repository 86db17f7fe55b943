package dev.nnc.runtime.train;

/**
 * One epoch of training: the running mean loss (with the penalty) and score over its
 * batches, and the validation figures (NaN without validation).
 */
public record EpochStats(int epoch, double lr, double loss, double score, double valLoss, double valScore,
                         double seconds) {

    /** A metric by the name the language uses: loss, accuracy, val_loss, val_accuracy. */
    public double metric(String name) {
        return switch (name) {
            case "loss" -> loss;
            case "val_loss" -> valLoss;
            case "val_accuracy" -> valScore;
            default -> score;
        };
    }
}
