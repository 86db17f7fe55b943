package dev.nnc.compiler.fuse;

import dev.nnc.compiler.ir.Node;
import dev.nnc.compiler.ir.Optimizer;
import dev.nnc.compiler.ir.Penalty;

import java.util.List;

/**
 * One loop nest of the generated code: it computes {@code output} into its buffer,
 * reading only materialized nodes. {@code fused} lists every graph node it computes,
 * the output last.
 */
public sealed interface Kernel {
    Node output();

    List<Node> fused();

    /** For `nnc summary` and the generated method names. */
    String describe();

    /**
     * An element-wise expression tree over the output's elements; at most one matmul in
     * it is computed in place (its accumulator feeds the epilogue: bias, activation,
     * activation derivative...).
     */
    record Pointwise(Node output, List<Node> fused) implements Kernel {
        public String describe() {
            return Fusion.describe(fused);
        }
    }

    /** A kernel that works on whole rows or the whole batch: softmax and its gradient, sums, losses, masks. */
    record Reduction(Node output) implements Kernel {
        public List<Node> fused() {
            return List.of(output);
        }

        public String describe() {
            return Fusion.describe(fused());
        }
    }

    /**
     * Softmax, cross-entropy and (when training) its gradient at the logits, in one pass
     * over each row: the exponentials are computed once, the loss is log-sum-exp minus
     * the label's logit (finite for any logits), the gradient is (softmax - one-hot) / B.
     */
    record SoftmaxCrossEntropy(Node softmax, Node loss, Node gradient) implements Kernel {
        public Node output() {
            return softmax;
        }

        public List<Node> fused() {
            return gradient == null ? List.of(softmax, loss) : List.of(softmax, loss, gradient);
        }

        public String describe() {
            return Fusion.describe(fused());
        }
    }

    /**
     * A convolution and the relu after it in one pass (bias and relu applied to each
     * tile while it is in the cache); the convolution's own output is never stored.
     */
    record ConvRelu(Node conv, Node relu) implements Kernel {
        public Node output() {
            return relu;
        }

        public List<Node> fused() {
            return List.of(relu);
        }

        public String describe() {
            return "conv2d + relu";
        }
    }

    /** The optimizer step for one parameter tensor, with its penalty's gradient. */
    record Update(Node parameter, Node gradient, int index, Optimizer optimizer, Penalty penalty) implements Kernel {
        public Node output() {
            return parameter;
        }

        public List<Node> fused() {
            return List.of(parameter);
        }

        public String describe() {
            var p = (dev.nnc.compiler.ir.Op.Parameter) parameter.op();
            if (p.statistic()) return "update(" + p.name() + ": running average)";
            return "update(" + p.name() + ": " + optimizer.kind() + (penalty.active() ? " + penalty" : "") + ")";
        }
    }
}
