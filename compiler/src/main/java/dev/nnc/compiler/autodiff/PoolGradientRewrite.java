package dev.nnc.compiler.autodiff;

import dev.nnc.compiler.ir.Graph;
import dev.nnc.compiler.ir.GraphVerifier;
import dev.nnc.compiler.ir.Node;
import dev.nnc.compiler.ir.Op;

import java.util.HashMap;
import java.util.Map;

/**
 * Moves an activation's derivative through the max pool after it, onto the pool's
 * smaller output: for x = f(z) and y = maxpool(x), the backward pass computes
 * maxpool'(x, y, dy) ⊙ f'(x) over the whole image, though maxpool' is zero except at
 * each window's maximum, where x = y; so it equals maxpool'(x, y, dy ⊙ f'(y)), which
 * multiplies a quarter as many numbers (for 2x2 windows) and saves a pass over the
 * image. Exact: f'(x) is f'(y) wherever the product is not zero. And a convolution's
 * bias gradient, the sum of pool'(dy) over the image, is the sum of dy: a pool passes
 * each window's gradient on whole (max to one element, mean in equal shares).
 */
public final class PoolGradientRewrite {
    private PoolGradientRewrite() {}

    public static Graph rewrite(Graph graph) {
        Graph.Builder out = new Graph.Builder();
        Map<Node, Node> copies = new HashMap<>();
        for (Node n : graph.nodes()) {
            Node summed = n.op() instanceof Op.ChannelSum ? copies.get(n.input(0)) : null;
            if (summed != null && summed.op() instanceof Op.PoolGrad) {
                // a pool passes each window's gradient on whole, so the sum over the image is the
                // sum over the pool's smaller output (the last input of its gradient)
                copies.put(n, out.add(n.op(), summed.input(summed.inputs().size() - 1)));
                continue;
            }
            Node poolGrad = null;
            Node derivative = null;
            if (n.op() instanceof Op.Mul) {
                for (int i = 0; i < 2; i++) {
                    if (matches(n.input(i), n.input(1 - i))) {
                        poolGrad = n.input(i);
                        derivative = n.input(1 - i);
                    }
                }
            }
            copies.put(n, poolGrad == null ? out.copy(n, copies) : moved(poolGrad, derivative, out, copies));
        }
        return GraphVerifier.verify(out.rebuilt(graph, copies));
    }

    /** maxpool'(x, y, dy) and f'(x) of the same x. */
    private static boolean matches(Node poolGrad, Node derivative) {
        return poolGrad.op() instanceof Op.PoolGrad p && p.max() && derivative.op() instanceof Op.ActDerivative
                && derivative.input(0) == poolGrad.input(0);
    }

    private static Node moved(Node poolGrad, Node derivative, Graph.Builder out, Map<Node, Node> copies) {
        Node x = copies.get(poolGrad.input(0));
        Node y = copies.get(poolGrad.input(1));
        Node dy = copies.get(poolGrad.input(2));
        Node scaled = out.add(new Op.Mul(), dy, out.add(derivative.op(), y));
        return out.add(poolGrad.op(), x, y, scaled);
    }
}
