package dev.nnc.compiler.check;

import dev.nnc.compiler.ir.Activation;
import dev.nnc.compiler.source.Span;

import java.util.List;

/**
 * A checked tensor expression: names resolved, arguments checked, shape inferred. A
 * name used twice is the same object, so the layers form a graph. A shape is null
 * when an error made it unknowable (the error was reported; checking goes on).
 */
public sealed interface Layer {
    List<Integer> shape();

    Span span();

    /** The layers this one reads: none for the input, two for a sum, else one. */
    default List<Layer> inputs() {
        if (this instanceof Dense d) return List.of(d.input());
        if (this instanceof Act a) return List.of(a.input());
        if (this instanceof Softmax s) return List.of(s.input());
        if (this instanceof Dropout d) return List.of(d.input());
        if (this instanceof Add a) return List.of(a.left(), a.right());
        return List.of();
    }

    record Input(String name, List<Integer> shape, Span span) implements Layer {}

    record Dense(Layer input, int units, boolean bias, Span span) implements Layer {
        public List<Integer> shape() {
            return List.of(units);
        }
    }

    /** {@code alpha} is the slope of leaky_relu or the scale of elu, else 0. */
    record Act(Activation activation, double alpha, Layer input, Span span) implements Layer {
        public List<Integer> shape() {
            return input.shape();
        }
    }

    record Softmax(Layer input, Span span) implements Layer {
        public List<Integer> shape() {
            return input.shape();
        }
    }

    record Dropout(double p, Layer input, Span span) implements Layer {
        public List<Integer> shape() {
            return input.shape();
        }
    }

    record Add(Layer left, Layer right, List<Integer> shape, Span span) implements Layer {}
}
