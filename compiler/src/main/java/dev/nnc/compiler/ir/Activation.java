package dev.nnc.compiler.ir;

import java.util.Optional;

/** The element-wise activations; softmax, which works on a whole row, is its own op. */
public enum Activation {
    RELU, LEAKY_RELU, ELU, TANH, SIGMOID, SOFTPLUS, STEP;

    public String sourceName() {
        return name().toLowerCase();
    }

    public static Optional<Activation> named(String name) {
        for (Activation a : values()) {
            if (a.sourceName().equals(name)) return Optional.of(a);
        }
        return Optional.empty();
    }

    /** Layers followed by these get He initialisation; the others Glorot. */
    public boolean rectifier() {
        return this == RELU || this == LEAKY_RELU || this == ELU;
    }
}
