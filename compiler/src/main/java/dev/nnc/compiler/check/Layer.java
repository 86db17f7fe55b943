package dev.nnc.compiler.check;

import dev.nnc.compiler.ir.Activation;
import dev.nnc.compiler.ir.Window;
import dev.nnc.compiler.source.Span;

import java.util.List;

/**
 * A checked tensor expression: names resolved, arguments checked, shape inferred when
 * the layer is made (a layer that keeps its input's shape holds it too, so that asking
 * is not a walk down a chain of thousands). A name used twice is the same object, so the
 * layers form a graph. A shape is null when an error made it unknowable (the error was
 * reported; checking goes on).
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
        if (this instanceof Conv2d c) return List.of(c.input());
        if (this instanceof Pool p) return List.of(p.input());
        if (this instanceof Flatten f) return List.of(f.input());
        if (this instanceof BatchNorm b) return List.of(b.input());
        return List.of();
    }

    /** The numbers this layer trains (its weights and biases), as PyTorch counts them. */
    default long parameters() {
        if (this instanceof Dense d) return (long) d.input().shape().get(0) * d.units() + (d.bias() ? d.units() : 0);
        if (this instanceof Conv2d c) {
            Window w = c.window();
            return (long) c.filters() * w.channels() * w.kernelHeight() * w.kernelWidth() + (c.bias() ? c.filters() : 0);
        }
        if (this instanceof BatchNorm b) return 2L * b.channels();
        return 0;
    }

    record Input(String name, List<Integer> shape, Span span) implements Layer {}

    record Dense(Layer input, int units, boolean bias, Span span) implements Layer {
        public List<Integer> shape() {
            return List.of(units);
        }
    }

    /** {@code alpha} is the slope of leaky_relu or the scale of elu, else 0. */
    record Act(Activation activation, double alpha, Layer input, Span span, List<Integer> shape) implements Layer {
        Act(Activation activation, double alpha, Layer input, Span span) {
            this(activation, alpha, input, span, input.shape());
        }
    }

    record Softmax(Layer input, Span span, List<Integer> shape) implements Layer {
        Softmax(Layer input, Span span) {
            this(input, span, input.shape());
        }
    }

    record Dropout(double p, Layer input, Span span, List<Integer> shape) implements Layer {
        Dropout(double p, Layer input, Span span) {
            this(p, input, span, input.shape());
        }
    }

    record Add(Layer left, Layer right, List<Integer> shape, Span span) implements Layer {}

    /** {@code filters} kernels over an image, each window times a [kh, kw, channels] kernel, plus a bias per filter. */
    record Conv2d(Layer input, int filters, Window window, boolean bias, Span span) implements Layer {
        public List<Integer> shape() {
            return List.of(window.outHeight(), window.outWidth(), filters);
        }
    }

    /** The maximum or the mean of each window, per channel; {@code global_avgpool} is the mean of the whole image, [channels]. */
    record Pool(Layer input, boolean max, Window window, boolean global, Span span) implements Layer {
        public List<Integer> shape() {
            return global ? List.of(window.channels()) : List.of(window.outHeight(), window.outWidth(), window.channels());
        }
    }

    /** An image as a vector, channel by channel as PyTorch flattens, so dense weights mean the same in both. */
    record Flatten(Layer input, Span span, List<Integer> shape) implements Layer {
        Flatten(Layer input, Span span) {
            this(input, span, List.of(input.shape().stream().reduce(1, (a, b) -> a * b)));
        }
    }

    /**
     * Each channel (the last axis: an image's channels, a vector's features) normalized
     * by the batch's mean and variance in training and by their running averages in
     * prediction, then scaled and shifted by trained factors. {@code momentum}: the
     * running averages keep this much of their value at each step (Keras's convention;
     * PyTorch's momentum is 1 minus it).
     */
    record BatchNorm(Layer input, double momentum, double eps, Span span, List<Integer> shape) implements Layer {
        BatchNorm(Layer input, double momentum, double eps, Span span) {
            this(input, momentum, eps, span, input.shape());
        }

        public int channels() {
            return shape.get(shape.size() - 1);
        }

        /** The values per row of each channel: an image's pixels, 1 for a vector. */
        public int pixels() {
            return shape.stream().reduce(1, (a, b) -> a * b) / channels();
        }
    }
}
