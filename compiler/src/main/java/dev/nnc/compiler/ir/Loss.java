package dev.nnc.compiler.ir;

/** The losses, each a mean over the batch (and over the outputs for mse and mae). */
public enum Loss {
    CROSS_ENTROPY, BINARY_CROSS_ENTROPY, MSE, MAE, HINGE, PERCEPTRON;

    public String sourceName() {
        return name().toLowerCase();
    }

    public static Loss named(String name) {
        return valueOf(name.toUpperCase());
    }
}
