package dev.nnc.compiler.check;

import java.util.List;

/** The metrics a training run reports, by the names {@code until} and {@code early_stop} use. */
final class Metrics {
    private Metrics() {}

    static final List<String> NAMES = List.of("loss", "accuracy", "val_loss", "val_accuracy");

    static boolean needsValidation(String metric) {
        return metric.startsWith("val_");
    }

    static boolean needsClasses(String metric) {
        return metric.endsWith("accuracy");
    }
}
