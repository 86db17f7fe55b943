package dev.nnc.compiler.autodiff;

import dev.nnc.compiler.ir.*;
import dev.nnc.compiler.source.CompilerBug;

import java.util.*;

/**
 * Reverse-mode automatic differentiation: extends a graph with the gradient of its
 * loss with respect to every parameter. Walks the nodes backwards from the loss; each
 * node's gradient (the sum of what its consumers sent it) goes through the rule of its
 * op, one rule per primitive op, in {@link #RULES}.
 */
public final class Differentiator {

    /** Given the node, its upstream gradient and the builder: the gradient of each input (null: none). */
    @FunctionalInterface
    interface Rule {
        Node[] inputGradients(Node node, Node upstream, Graph.Builder g);
    }

    private static final Map<Class<? extends Op>, Rule> RULES = Map.ofEntries(
            Map.entry(Op.MatMul.class, Differentiator::matMul),
            // x + b: the gradient passes to x; b receives its sum over the batch
            Map.entry(Op.BiasAdd.class, (n, dy, g) -> new Node[]{dy, g.add(new Op.SumRows(), dy)}),
            Map.entry(Op.Add.class, (n, dy, g) -> new Node[]{dy, dy}),
            Map.entry(Op.Mul.class, (n, dy, g) -> new Node[]{
                    g.add(new Op.Mul(), dy, n.input(1)), g.add(new Op.Mul(), dy, n.input(0))}),
            // f'(x) is written with the output y = f(x), which the forward pass kept
            Map.entry(Op.Act.class, (n, dy, g) -> {
                Op.Act a = (Op.Act) n.op();
                return new Node[]{g.add(new Op.Mul(), dy, g.add(new Op.ActDerivative(a.activation(), a.alpha()), n))};
            }),
            Map.entry(Op.Conv2d.class, Differentiator::conv2d),
            Map.entry(Op.Pool.class, (n, dy, g) -> {
                Op.Pool p = (Op.Pool) n.op();
                Op.PoolGrad grad = new Op.PoolGrad(p.window(), p.max());
                return new Node[]{p.max() ? g.add(grad, n.input(0), n, dy) : g.add(grad, dy)};
            }),
            Map.entry(Op.ChannelAffine.class, (n, dy, g) -> {
                int c = ((Op.ChannelAffine) n.op()).channels();
                return new Node[]{g.add(new Op.ChannelScale(c), dy, n.input(1)),
                        g.add(new Op.ChannelSum(c), g.add(new Op.Mul(), dy, n.input(0))), g.add(new Op.ChannelSum(c), dy)};
            }),
            Map.entry(Op.Normalize.class, Differentiator::normalize),
            Map.entry(Op.ChannelsFirst.class, (n, dy, g) -> {
                Op.ChannelsFirst t = (Op.ChannelsFirst) n.op();
                return new Node[]{g.add(new Op.ChannelsLast(t.pixels(), t.channels()), dy)};
            }),
            Map.entry(Op.Softmax.class, (n, dy, g) -> new Node[]{g.add(new Op.SoftmaxGrad(), n, dy)}),
            // The loss is the root: its upstream gradient is 1
            Map.entry(Op.LossValue.class, (n, dy, g) -> new Node[]{
                    g.add(new Op.LossGrad(((Op.LossValue) n.op()).loss()), n.input(0), n.input(1)), null}),
            Map.entry(Op.SoftmaxCrossEntropy.class, (n, dy, g) -> new Node[]{
                    g.add(new Op.SoftmaxCrossEntropyGrad(), g.add(new Op.Softmax(), n.input(0)), n.input(1)), null}),
            Map.entry(Op.PerceptronCriterion.class, (n, dy, g) -> new Node[]{
                    g.add(new Op.PerceptronGrad(), g.add(new Op.Act(Activation.STEP, 0), n.input(0)), n.input(1)), null}),
            Map.entry(Op.SigmoidBinaryCrossEntropy.class, (n, dy, g) -> new Node[]{
                    g.add(new Op.SigmoidBinaryCrossEntropyGrad(),
                            g.add(new Op.Act(Activation.SIGMOID, 0), n.input(0)), n.input(1)), null}));

    private Differentiator() {}

    /** C = A'·B' where ' is an optional transpose: dA' = dC·B'ᵀ and dB' = A'ᵀ·dC, transposed back. */
    private static Node[] matMul(Node n, Node dc, Graph.Builder g) {
        Op.MatMul m = (Op.MatMul) n.op();
        Node a = n.input(0);
        Node b = n.input(1);
        Node da = m.transposeA() ? g.add(new Op.MatMul(m.transposeB(), true), b, dc)
                : g.add(new Op.MatMul(false, !m.transposeB()), dc, b);
        Node db = m.transposeB() ? g.add(new Op.MatMul(true, m.transposeA()), dc, a)
                : g.add(new Op.MatMul(!m.transposeA(), false), a, dc);
        return new Node[]{da, db};
    }

    /** y = x * w + b: dx spreads dy back through the filters, dw correlates x with dy, db sums dy per filter. */
    private static Node[] conv2d(Node n, Node dy, Graph.Builder g) {
        Op.Conv2d c = (Op.Conv2d) n.op();
        Node dx = g.add(new Op.Conv2dInputGrad(c.window(), c.filters()), dy, n.input(1));
        Node dw = g.add(new Op.Conv2dWeightGrad(c.window(), c.filters()), n.input(0), dy);
        return c.bias() ? new Node[]{dx, dw, g.add(new Op.ChannelSum(c.filters()), dy)} : new Node[]{dx, dw};
    }

    /**
     * x̂ = (x - mean(x)) / sqrt(var(x) + eps): the rule is the whole derivative through the
     * batch's statistics too, so they receive no gradient of their own. (Prediction's
     * normalization by running statistics is never differentiated.)
     */
    private static Node[] normalize(Node n, Node dy, Graph.Builder g) {
        Op.Normalize op = (Op.Normalize) n.op();
        Node x = n.input(0);
        CompilerBug.check(n.input(1).op() instanceof Op.ChannelMean && n.input(1).input(0) == x
                && n.input(2).op() instanceof Op.ChannelVariance && n.input(2).input(0) == x,
                "differentiating a normalization by statistics other than its input's: " + n);
        return new Node[]{g.add(new Op.NormalizeGrad(op.channels(), op.eps()), n, n.input(2), dy), null, null};
    }

    public static Graph differentiate(Graph forward) {
        CompilerBug.check(forward.loss() != null, "differentiating a graph without a loss");
        Graph.Builder g = new Graph.Builder();
        Map<Node, Node> copies = new HashMap<>();
        for (Node n : forward.nodes()) copies.put(n, g.copy(n, copies));

        Set<Node> needed = needsGradient(forward);
        Map<Node, Node> gradient = new HashMap<>();
        List<Node> order = new ArrayList<>(forward.nodes());
        Collections.reverse(order);
        for (Node original : order) {
            Node node = copies.get(original);
            boolean root = original == forward.loss();
            if (!needed.contains(original) || (!root && !gradient.containsKey(node))) continue;
            if (!original.op().differentiable()) continue;
            Rule rule = RULES.get(original.op().getClass());
            CompilerBug.check(rule != null, "no derivative rule for " + original.op());
            Node[] grads = rule.inputGradients(node, root ? null : gradient.get(node), g);
            for (int i = 0; i < grads.length; i++) {
                Node input = node.input(i);
                if (grads[i] == null || !needed.contains(original.input(i))) continue;
                Node previous = gradient.get(input);
                gradient.put(input, previous == null ? grads[i] : g.add(new Op.Add(), previous, grads[i]));
            }
        }
        Map<Node, Node> parameterGradients = new LinkedHashMap<>();
        Set<Node> taken = new HashSet<>();
        for (Node p : forward.parameters()) {
            boolean statistic = ((Op.Parameter) p.op()).statistic();
            Node grad = statistic ? copies.get(forward.gradients().get(p)) : gradient.get(copies.get(p));
            CompilerBug.check(grad != null, (statistic ? "running statistic without its change: " : "parameter without a gradient: ") + p);
            // each parameter's gradient has a buffer of its own, even when it equals another's
            while (!taken.add(grad)) grad = g.add(new Op.Copy(), grad);
            parameterGradients.put(copies.get(p), grad);
        }
        return GraphVerifier.verify(g.build(copies.get(forward.output()), copies.get(forward.loss()), parameterGradients));
    }

    /** The nodes on a path from a parameter to the loss. */
    private static Set<Node> needsGradient(Graph graph) {
        Set<Node> dependsOnParameter = new HashSet<>();
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Op.Parameter
                    || (n.op().differentiable() && n.inputs().stream().anyMatch(dependsOnParameter::contains))) {
                dependsOnParameter.add(n);
            }
        }
        return dependsOnParameter;
    }
}
