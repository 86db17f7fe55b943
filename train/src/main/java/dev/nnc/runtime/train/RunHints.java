package dev.nnc.runtime.train;

import dev.nnc.runtime.spec.ModelSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a finished run's history says to a learner, in the words of the course: a
 * learning rate too high (the training loss keeps jumping up), an accuracy stuck at
 * chance, a network that overfits (the validation loss rising while the training loss
 * falls). Read from the per-epoch figures only: it costs nothing and changes no weight.
 */
public final class RunHints {
    /** A rise of the training loss by more than this fraction of the epoch before counts as a jump. */
    private static final double JUMP = 0.10;
    /** The validation loss this far above its best, for this many epochs, while the training loss falls: overfitting. */
    private static final double RISE = 0.10;
    private static final int RISING_EPOCHS = 3;

    private RunHints() {}

    public static List<String> of(ModelSpec spec, List<EpochStats> history) {
        List<String> hints = new ArrayList<>();
        learningRate(spec, history).ifPresent(hints::add);
        chance(spec, history).ifPresent(hints::add);
        // a jumping loss makes the validation loss jump too: that is not overfitting
        if (hints.isEmpty()) overfitting(history).ifPresent(hints::add);
        return hints;
    }

    private static java.util.Optional<String> learningRate(ModelSpec spec, List<EpochStats> history) {
        int jumps = 0;
        double worst = 0;
        for (int e = 1; e < history.size(); e++) {
            double before = history.get(e - 1).loss();
            double rise = (history.get(e).loss() - before) / before;
            if (rise > JUMP) {
                jumps++;
                worst = Math.max(worst, rise);
            }
        }
        if (jumps < 2 || jumps * 5 < history.size()) return java.util.Optional.empty();
        double lr = spec.learningRate();
        String by = worst > 10 ? "more than tenfold" : String.format(Locale.ROOT, "by up to %.0f%%", 100 * worst);
        return java.util.Optional.of(String.format(Locale.ROOT,
                "the training loss jumped up in %d of %d epochs (%s): the learning rate %s is likely too high; try %s",
                jumps, history.size(), by, number(lr), number(lr / 10)));
    }

    private static java.util.Optional<String> chance(ModelSpec spec, List<EpochStats> history) {
        if (spec.targetKind() != ModelSpec.TargetKind.CLASS || history.size() < 5) return java.util.Optional.empty();
        int classes = spec.classNames().size();
        double chance = 1.0 / classes;
        double best = history.stream().mapToDouble(EpochStats::score).max().orElse(0);
        if (best > chance + 0.05) return java.util.Optional.empty();
        return java.util.Optional.of(String.format(Locale.ROOT,
                "after %d epochs the accuracy is still %.3f, what guessing among %d classes gives: the network learns "
                        + "nothing; check the labels, the output's softmax and the learning rate", history.size(), best, classes));
    }

    private static java.util.Optional<String> overfitting(List<EpochStats> history) {
        int best = -1;
        for (int e = 0; e < history.size(); e++) {
            double v = history.get(e).valLoss();
            if (!Double.isNaN(v) && (best < 0 || v < history.get(best).valLoss())) best = e;
        }
        if (best < 0) return java.util.Optional.empty();
        double bestVal = history.get(best).valLoss();
        int rising = 0;
        for (int e = best + 1; e < history.size(); e++) {
            boolean worse = history.get(e).valLoss() > bestVal * (1 + RISE);
            boolean learning = history.get(e).loss() < history.get(e - 1).loss();
            rising = worse && learning ? rising + 1 : 0;
            if (rising >= RISING_EPOCHS) {
                return java.util.Optional.of(String.format(Locale.ROOT,
                        "from epoch %d the validation loss rose (%.4f to %.4f) while the training loss kept falling: the "
                                + "network overfits its training data; stop there with early_stop(monitor = val_loss, "
                                + "patience = 3), or add dropout or a penalty", best + 1, bestVal, history.get(e).valLoss()));
            }
        }
        return java.util.Optional.empty();
    }

    /** A number to three significant digits, without trailing zeros: 0.05, 20, 33.3. */
    public static String number(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }
}
