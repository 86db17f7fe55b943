package dev.nnc.compiler.ir;

import dev.nnc.compiler.source.CompilerBug;
import dev.nnc.runtime.spec.ModelSpec.Init;

import java.util.List;

/**
 * The closed set of tensor operations. Each knows its arity and the shape of its
 * result, so a node's shape is computed when the node is built and a malformed graph
 * fails at once as a compiler bug. The forward ops are what layers lower to; the
 * others appear when the graph is differentiated or rewritten for stability.
 */
public sealed interface Op {

    int arity();

    Shape shape(List<Shape> inputs);

    /** Whether gradients flow through this op to its inputs. */
    default boolean differentiable() {
        return arity() > 0;
    }

    /** An element-wise op: element (r, j) of the result reads only element (r, j) of each input (or j of a bias). */
    default boolean elementwise() {
        return false;
    }

    // ---- leaves ----

    /** The input batch, one row per sample. */
    record Input(int width) implements Op {
        public int arity() { return 0; }
        public Shape shape(List<Shape> in) { return Shape.batch(width); }
    }

    /** The target batch: a class index or 0/1 label per row, or {@code width} reals. */
    record Target(int width) implements Op {
        public int arity() { return 0; }
        public Shape shape(List<Shape> in) { return Shape.batch(width); }
    }

    /** A tensor that training changes, in the way its role says. */
    record Parameter(String name, List<Integer> dims, Init init, int fanIn, int fanOut, Role role) implements Op {
        public int arity() { return 0; }
        public Shape shape(List<Shape> in) { return new Shape(false, dims); }

        public boolean statistic() {
            return role == Role.RUNNING;
        }

        /** Written as when the role was a flag (weight=true|false): architecture hashes, and the weights files they guard, stay valid. */
        @Override
        public String toString() {
            return "Parameter[name=" + name + ", dims=" + dims + ", init=" + init + ", fanIn=" + fanIn + ", fanOut=" + fanOut
                    + (role == Role.RUNNING ? ", running=true]" : ", weight=" + (role == Role.PENALIZED) + "]");
        }
    }

    enum Role {
        /** Trained by the optimizer, and the penalty applies: a weight matrix, a convolution's filters. */
        PENALIZED,
        /** Trained by the optimizer without penalty: a bias, batch norm's scale and shift. */
        TRAINED,
        /**
         * A running statistic (batch norm's running mean and variance): each step adds the
         * change its update node computes from the batch instead of a gradient step.
         */
        RUNNING
    }

    /** Inverted dropout's mask: 0 with probability p, else 1/(1-p); fresh every step. */
    record DropoutMask(double p, int width, int index) implements Op {
        public int arity() { return 0; }
        public Shape shape(List<Shape> in) { return Shape.batch(width); }
    }

    // ---- forward ----

    /** A·B with either operand transposed; a batched operand is a (B x n) matrix. */
    record MatMul(boolean transposeA, boolean transposeB) implements Op {
        public int arity() { return 2; }

        public Shape shape(List<Shape> in) {
            Shape a = in.get(0);
            Shape b = in.get(1);
            int m = transposeA ? a.columns() : a.rows();
            int ka = transposeA ? a.rows() : a.columns();
            int kb = transposeB ? b.columns() : b.rows();
            int n = transposeB ? b.rows() : b.columns();
            check(ka == kb, "matmul inner dimensions " + a + " " + b + " " + this);
            check(n != Shape.BATCH, "matmul result with batch columns");
            return Shape.matrix(m, n);
        }
    }

    /** x + b with b broadcast over the rows. */
    record BiasAdd() implements Op {
        public int arity() { return 2; }
        public boolean elementwise() { return true; }

        public Shape shape(List<Shape> in) {
            check(in.get(0).batched() && !in.get(1).batched() && in.get(0).size() == in.get(1).size(), "bias shapes " + in);
            return in.get(0);
        }
    }

    record Add() implements Op {
        public int arity() { return 2; }
        public boolean elementwise() { return true; }
        public Shape shape(List<Shape> in) { return same(in); }
    }

    record Mul() implements Op {
        public int arity() { return 2; }
        public boolean elementwise() { return true; }
        public Shape shape(List<Shape> in) { return same(in); }
    }

    record Act(Activation activation, double alpha) implements Op {
        public int arity() { return 1; }
        public boolean elementwise() { return true; }
        public Shape shape(List<Shape> in) { return in.get(0); }
    }

    /** Softmax of each row. */
    record Softmax() implements Op {
        public int arity() { return 1; }
        public Shape shape(List<Shape> in) { return in.get(0); }
    }

    /** The mean loss over the batch of (prediction, target): a scalar. */
    record LossValue(Loss loss) implements Op {
        public int arity() { return 2; }
        public Shape shape(List<Shape> in) { return Shape.SCALAR; }
    }

    /** Cross-entropy of softmax(logits) computed from the logits with log-sum-exp. */
    record SoftmaxCrossEntropy() implements Op {
        public int arity() { return 2; }
        public Shape shape(List<Shape> in) { return Shape.SCALAR; }
    }

    /** Binary cross-entropy of sigmoid(logits) computed from the logits: softplus(z) - t z. */
    record SigmoidBinaryCrossEntropy() implements Op {
        public int arity() { return 2; }
        public Shape shape(List<Shape> in) { return Shape.SCALAR; }
    }

    /**
     * The perceptron criterion of step(z): mean(max(0, -(2t - 1) z)), whose gradient at z
     * is (step(z) - t) / B, which makes gradient descent the perceptron rule.
     */
    record PerceptronCriterion() implements Op {
        public int arity() { return 2; }
        public Shape shape(List<Shape> in) { return Shape.SCALAR; }
    }

    // ---- images: each row is [height, width, channels], channels last ----

    /**
     * The convolution of each row's image with the filters w ([filters, channels, kh, kw],
     * PyTorch's layout), plus b ([filters]) when there is a bias: rows of [oh, ow, filters].
     */
    record Conv2d(Window window, int filters, boolean bias) implements Op {
        public int arity() { return bias ? 3 : 2; }

        public Shape shape(List<Shape> in) {
            check(in.get(0).batched() && in.get(0).size() == window.inputSize(), "conv2d input " + in.get(0) + " for " + window);
            check(in.get(1).equals(Shape.fixed(filters, window.channels(), window.kernelHeight(), window.kernelWidth())),
                    "conv2d filters " + in.get(1));
            check(!bias || in.get(2).equals(Shape.fixed(filters)), "conv2d bias " + in);
            return Shape.batch(window.outPixels() * filters);
        }
    }

    /** The maximum or the mean of each window of each channel: rows of [oh, ow, channels]. */
    record Pool(Window window, boolean max) implements Op {
        public int arity() { return 1; }

        public Shape shape(List<Shape> in) {
            check(in.get(0).batched() && in.get(0).size() == window.inputSize(), "pool input " + in.get(0) + " for " + window);
            return Shape.batch(window.outPixels() * window.channels());
        }
    }

    // ---- batch normalization: rows of [pixels, channels], statistics per channel ----

    /** The mean of each channel over the rows and pixels of the batch (of the part of it computed): [channels]. */
    record ChannelMean(int channels) implements Op {
        public int arity() { return 1; }
        public boolean differentiable() { return false; }
        public Shape shape(List<Shape> in) { return perChannel(in, channels); }
    }

    /** The biased variance of each channel, from (x, its channel means): [channels]. */
    record ChannelVariance(int channels) implements Op {
        public int arity() { return 2; }
        public boolean differentiable() { return false; }
        public Shape shape(List<Shape> in) { return perChannel(in, channels); }
    }

    /**
     * (x - mean) / sqrt(variance + eps) per channel, from (x, mean, variance): the batch's
     * statistics in training (their dependence on x is part of its derivative rule), the
     * running ones in prediction.
     */
    record Normalize(int channels, double eps) implements Op {
        public int arity() { return 3; }

        public Shape shape(List<Shape> in) {
            perChannel(in, channels);
            check(in.get(1).equals(Shape.fixed(channels)) && in.get(2).equals(Shape.fixed(channels)), "normalize statistics " + in);
            return in.get(0);
        }
    }

    /** x * scale + shift, per channel. */
    record ChannelAffine(int channels) implements Op {
        public int arity() { return 3; }

        public Shape shape(List<Shape> in) {
            perChannel(in, channels);
            check(in.get(1).equals(Shape.fixed(channels)) && in.get(2).equals(Shape.fixed(channels)), "scale and shift " + in);
            return in.get(0);
        }
    }

    /**
     * The change of a running statistic for a batch: (1 - momentum) * (statistic - running)
     * times this part's share of the batch, from (statistic, running); the parts' changes
     * sum to the batch's. {@code unbiased}: the statistic is a biased variance, corrected
     * to the unbiased one (over {@code pixels} values per row) as PyTorch's running variance is.
     */
    record RunningChange(double momentum, int pixels, boolean unbiased) implements Op {
        public int arity() { return 2; }
        public boolean differentiable() { return false; }

        public Shape shape(List<Shape> in) {
            check(in.get(0).equals(in.get(1)) && !in.get(0).batched(), "running statistic " + in);
            return in.get(0);
        }
    }

    /** Rows of [pixels, channels] as [channels, pixels]: flatten in PyTorch's order. */
    record ChannelsFirst(int pixels, int channels) implements Op {
        public int arity() { return 1; }
        public Shape shape(List<Shape> in) { return transposed(in, pixels, channels); }
    }

    // ---- backward ----

    /**
     * A copy: the gradient of a second parameter whose gradient is the same tensor as
     * another's (the biases of two layers summed directly), which needs a buffer of its own.
     */
    record Copy() implements Op {
        public int arity() { return 1; }
        public boolean elementwise() { return true; }
        public boolean differentiable() { return false; }
        public Shape shape(List<Shape> in) { return in.get(0); }
    }

    /** Rows of [channels, pixels] back to [pixels, channels]: the gradient through a flatten. */
    record ChannelsLast(int pixels, int channels) implements Op {
        public int arity() { return 1; }
        public boolean differentiable() { return false; }
        public Shape shape(List<Shape> in) { return transposed(in, pixels, channels); }
    }

    /** d loss / d input of a convolution, from (dy, w): each output's gradient spread back over its window. */
    record Conv2dInputGrad(Window window, int filters) implements Op {
        public int arity() { return 2; }
        public boolean differentiable() { return false; }

        public Shape shape(List<Shape> in) {
            check(in.get(0).size() == window.outPixels() * filters, "conv2d output gradient " + in.get(0));
            return Shape.batch(window.inputSize());
        }
    }

    /** d loss / d filters of a convolution, from (x, dy), summed over the batch: [filters, channels, kh, kw]. */
    record Conv2dWeightGrad(Window window, int filters) implements Op {
        public int arity() { return 2; }
        public boolean differentiable() { return false; }

        public Shape shape(List<Shape> in) {
            check(in.get(0).size() == window.inputSize() && in.get(1).size() == window.outPixels() * filters,
                    "conv2d weight gradient operands " + in);
            return Shape.fixed(filters, window.channels(), window.kernelHeight(), window.kernelWidth());
        }
    }

    /** The sum over the batch and every pixel of rows of [pixels, channels]: a convolution's bias gradient. */
    record ChannelSum(int channels) implements Op {
        public int arity() { return 1; }
        public boolean differentiable() { return false; }

        public Shape shape(List<Shape> in) {
            check(in.get(0).batched() && in.get(0).size() % channels == 0, "channel sum of " + in.get(0));
            return Shape.fixed(channels);
        }
    }

    /**
     * The gradient through a pool, from (x, y, dy) for the maximum (each window's gradient
     * to its first maximal element, as PyTorch does) or from (dy) for the mean.
     */
    record PoolGrad(Window window, boolean max) implements Op {
        public int arity() { return max ? 3 : 1; }
        public boolean differentiable() { return false; }

        public Shape shape(List<Shape> in) {
            check(in.get(in.size() - 1).size() == window.outPixels() * window.channels(), "pool gradient " + in);
            return Shape.batch(window.inputSize());
        }
    }

    /** x * scale per channel, from (x, scale): the gradient through a channel affine to its input. */
    record ChannelScale(int channels) implements Op {
        public int arity() { return 2; }
        public boolean differentiable() { return false; }

        public Shape shape(List<Shape> in) {
            perChannel(in, channels);
            check(in.get(1).equals(Shape.fixed(channels)), "channel scale " + in);
            return in.get(0);
        }
    }

    /**
     * The gradient through a normalization by the batch's statistics, from (x̂, variance,
     * dx̂): (dx̂ - mean(dx̂) - x̂ mean(dx̂ x̂)) / sqrt(variance + eps), means per channel.
     */
    record NormalizeGrad(int channels, double eps) implements Op {
        public int arity() { return 3; }
        public boolean differentiable() { return false; }

        public Shape shape(List<Shape> in) {
            perChannel(in, channels);
            check(in.get(0).equals(in.get(2)) && in.get(1).equals(Shape.fixed(channels)), "normalize gradient " + in);
            return in.get(0);
        }
    }

    /** f'(x) of an activation, written in terms of its output y = f(x). */
    record ActDerivative(Activation activation, double alpha) implements Op {
        public int arity() { return 1; }
        public boolean elementwise() { return true; }
        public boolean differentiable() { return false; }
        public Shape shape(List<Shape> in) { return in.get(0); }
    }

    /** y ⊙ (dy - rowsum(dy ⊙ y)): the gradient through a softmax with output y. */
    record SoftmaxGrad() implements Op {
        public int arity() { return 2; }
        public boolean differentiable() { return false; }
        public Shape shape(List<Shape> in) { return same(in); }
    }

    /** The sum over the batch: a bias gradient. */
    record SumRows() implements Op {
        public int arity() { return 1; }
        public boolean differentiable() { return false; }

        public Shape shape(List<Shape> in) {
            check(in.get(0).batched(), "sum of rows of an unbatched tensor");
            return new Shape(false, in.get(0).dims());
        }
    }

    /** d loss / d prediction, already divided by the batch size. */
    record LossGrad(Loss loss) implements Op {
        public int arity() { return 2; }
        public boolean elementwise() { return true; }
        public boolean differentiable() { return false; }
        public Shape shape(List<Shape> in) { return in.get(0); }
    }

    /** (softmax - onehot(target)) / B from the softmax output: the gradient at the logits. */
    record SoftmaxCrossEntropyGrad() implements Op {
        public int arity() { return 2; }
        public boolean elementwise() { return true; }
        public boolean differentiable() { return false; }
        public Shape shape(List<Shape> in) { return in.get(0); }
    }

    /** (sigmoid - target) / B from the sigmoid output: the gradient at the logits. */
    record SigmoidBinaryCrossEntropyGrad() implements Op {
        public int arity() { return 2; }
        public boolean elementwise() { return true; }
        public boolean differentiable() { return false; }
        public Shape shape(List<Shape> in) { return in.get(0); }
    }

    /** (step(z) - target) / B from the step's output. */
    record PerceptronGrad() implements Op {
        public int arity() { return 2; }
        public boolean elementwise() { return true; }
        public boolean differentiable() { return false; }
        public Shape shape(List<Shape> in) { return in.get(0); }
    }

    private static Shape transposed(List<Shape> in, int pixels, int channels) {
        check(in.get(0).batched() && in.get(0).size() == pixels * channels, "transpose of " + in.get(0));
        return in.get(0);
    }

    /** Checks that the first input is rows of [pixels, channels]; the shape of a statistic per channel. */
    private static Shape perChannel(List<Shape> in, int channels) {
        check(in.get(0).batched() && in.get(0).size() % channels == 0, "per-channel op on " + in.get(0));
        return Shape.fixed(channels);
    }

    private static Shape same(List<Shape> in) {
        check(in.get(0).equals(in.get(1)), "operands of different shapes " + in);
        return in.get(0);
    }

    private static void check(boolean condition, String message) {
        CompilerBug.check(condition, message);
    }
}
