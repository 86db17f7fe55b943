package dev.nnc.runtime.train;

import dev.nnc.runtime.spec.TrainSpec.ScheduleSpec;

/** The learning rate of each epoch (0-based), from the base rate and the schedule. */
public final class Schedule {
    private Schedule() {}

    public static double rate(ScheduleSpec s, double base, int epoch, int epochs) {
        if (epoch < s.warmupEpochs()) return base * (epoch + 1) / (s.warmupEpochs() + 1);
        int e = epoch - s.warmupEpochs();
        int span = Math.max(1, epochs - s.warmupEpochs() - 1); // the last epoch runs at min_lr
        return switch (s.kind()) {
            case "step" -> base * Math.pow(s.factor(), e / s.every());
            case "exponential" -> base * Math.pow(s.gamma(), e);
            case "cosine" -> s.minLr() + (base - s.minLr()) * (1 + Math.cos(Math.PI * e / span)) / 2;
            default -> base;
        };
    }
}
