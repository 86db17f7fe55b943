package dev.nnc.compiler.ir;

import java.util.HashMap;
import java.util.Map;

/**
 * Rewrites a loss on a squashed output into the numerically stable form on the logits,
 * whatever the user wrote: cross_entropy(softmax(z)) becomes log-sum-exp(z) - z[t],
 * and binary_cross_entropy(sigmoid(z)) becomes softplus(z) - t z. Finite for logits
 * of any size, and their gradients are simply p - t. In the same way perceptron(step(z))
 * becomes the perceptron criterion on z, whose gradient is the perceptron rule.
 */
public final class StableLossRewrite {
    private StableLossRewrite() {}

    public static Graph rewrite(Graph graph) {
        Graph.Builder out = new Graph.Builder();
        Map<Node, Node> copies = new HashMap<>();
        for (Node n : graph.nodes()) {
            copies.put(n, n == graph.loss() ? stable(n, out, copies) : out.copy(n, copies));
        }
        return GraphVerifier.verify(out.rebuilt(graph, copies));
    }

    private static Node stable(Node loss, Graph.Builder out, Map<Node, Node> copies) {
        Loss kind = ((Op.LossValue) loss.op()).loss();
        Node prediction = loss.input(0);
        Node target = copies.get(loss.input(1));
        if (kind == Loss.CROSS_ENTROPY && prediction.op() instanceof Op.Softmax) {
            return out.add(new Op.SoftmaxCrossEntropy(), copies.get(prediction.input(0)), target);
        }
        if (kind == Loss.BINARY_CROSS_ENTROPY && prediction.op() instanceof Op.Act a && a.activation() == Activation.SIGMOID) {
            return out.add(new Op.SigmoidBinaryCrossEntropy(), copies.get(prediction.input(0)), target);
        }
        if (kind == Loss.PERCEPTRON && prediction.op() instanceof Op.Act a && a.activation() == Activation.STEP) {
            return out.add(new Op.PerceptronCriterion(), copies.get(prediction.input(0)), target);
        }
        return out.copy(loss, copies);
    }
}
