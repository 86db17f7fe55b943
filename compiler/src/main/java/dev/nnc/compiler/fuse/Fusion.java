package dev.nnc.compiler.fuse;

import dev.nnc.compiler.ir.Graph;
import dev.nnc.compiler.ir.Node;
import dev.nnc.compiler.ir.Op;
import dev.nnc.compiler.ir.Optimizer;
import dev.nnc.compiler.ir.Penalty;

import java.util.*;

/**
 * Groups the nodes of a graph into kernels. A node gets a buffer of its own
 * (is materialized) when something outside its kernel needs it; an element-wise node
 * read by exactly one element-wise consumer is instead computed inside that consumer's
 * loop, and so is one matmul whose only reader is element-wise. This gives matmul +
 * bias + activation in one loop forward, and matmul + activation derivative backward.
 * Nodes nothing needs are dropped.
 */
public final class Fusion {
    private Fusion() {}

    /** The kernels of a graph, in execution order; {@code roots} must be computed. */
    public static List<Kernel> kernels(Graph graph, Collection<Node> roots) {
        Set<Node> live = live(graph, roots);
        Set<Node> rootSet = new HashSet<>(roots); // a training graph's roots are every parameter's gradient
        Map<Node, List<Node>> consumers = graph.consumers();
        Set<Node> inlined = new HashSet<>();
        for (Node n : graph.nodes()) {
            if (live.contains(n) && !rootSet.contains(n) && inlinable(n, consumers, live)) inlined.add(n);
        }
        // At most one matmul per kernel: a second one keeps its own buffer.
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (!live.contains(n) || inlined.contains(n) || !n.op().elementwise()) continue;
            boolean[] seen = {false};
            demoteExtraMatMuls(n, inlined, seen);
        }
        List<Kernel> kernels = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (!live.contains(n) || inlined.contains(n) || n.inputs().isEmpty()) continue;
            if (n.op().elementwise() || n.op() instanceof Op.MatMul) {
                List<Node> fused = new ArrayList<>();
                collect(n, inlined, fused);
                kernels.add(new Kernel.Pointwise(n, fused));
            } else {
                kernels.add(new Kernel.Reduction(n));
            }
        }
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Op.DropoutMask && live.contains(n)) {
                kernels.add(0, new Kernel.Reduction(n));
            }
        }
        return fuseConvRelu(fuseSoftmaxCrossEntropy(kernels), consumers, live);
    }

    /** A convolution read only by a relu, and that relu, become one kernel at the relu's place. */
    private static List<Kernel> fuseConvRelu(List<Kernel> kernels, Map<Node, List<Node>> consumers, Set<Node> live) {
        Set<Node> absorbed = new HashSet<>();
        List<Kernel> fused = new ArrayList<>();
        for (Kernel k : kernels) {
            Node out = k.output();
            if (k instanceof Kernel.Pointwise p && p.fused().size() == 1 && out.op() instanceof Op.Act a
                    && a.activation() == dev.nnc.compiler.ir.Activation.RELU && out.input(0).op() instanceof Op.Conv2d
                    && consumers.get(out.input(0)).stream().filter(live::contains).count() == 1) {
                absorbed.add(out.input(0));
                fused.add(new Kernel.ConvRelu(out.input(0), out));
            } else {
                fused.add(k);
            }
        }
        fused.removeIf(k -> k instanceof Kernel.Reduction && absorbed.contains(k.output()));
        return fused;
    }

    /**
     * Softmax(z), SoftmaxCrossEntropy(z, t) and SoftmaxCrossEntropyGrad(softmax, t), each
     * a kernel of its own so far, become one kernel at the softmax's place.
     */
    private static List<Kernel> fuseSoftmaxCrossEntropy(List<Kernel> kernels) {
        Kernel softmax = null;
        Kernel loss = null;
        Kernel gradient = null;
        for (Kernel k : kernels) {
            Op op = k.output().op();
            if (op instanceof Op.SoftmaxCrossEntropy) loss = k;
        }
        if (loss == null) return kernels;
        Node logits = loss.output().input(0);
        for (Kernel k : kernels) {
            Node out = k.output();
            if (out.op() instanceof Op.Softmax && out.input(0) == logits) softmax = k;
            if (out.op() instanceof Op.SoftmaxCrossEntropyGrad && k.fused().size() == 1 && out.input(0).input(0) == logits) {
                gradient = k;
            }
        }
        if (softmax == null) return kernels;
        List<Kernel> fused = new ArrayList<>();
        for (Kernel k : kernels) {
            if (k == softmax) {
                fused.add(new Kernel.SoftmaxCrossEntropy(softmax.output(), loss.output(),
                        gradient == null ? null : gradient.output()));
            } else if (k != loss && k != gradient) {
                fused.add(k);
            }
        }
        return fused;
    }

    /** One update kernel per parameter, after the gradients are computed. */
    public static List<Kernel> updates(Graph graph, Optimizer optimizer, Penalty penalty) {
        List<Kernel> kernels = new ArrayList<>();
        int index = 0;
        for (Map.Entry<Node, Node> e : graph.gradients().entrySet()) {
            Op.Parameter p = (Op.Parameter) e.getKey().op();
            kernels.add(new Kernel.Update(e.getKey(), e.getValue(), index++, optimizer,
                    p.role() == Op.Role.PENALIZED ? penalty : Penalty.NONE));
        }
        return kernels;
    }

    private static boolean inlinable(Node n, Map<Node, List<Node>> consumers, Set<Node> live) {
        List<Node> readers = consumers.getOrDefault(n, List.of()).stream().filter(live::contains).toList();
        if (readers.size() != 1 || !readers.get(0).op().elementwise()) return false;
        if (!n.shape().equals(readers.get(0).shape())) return false;
        return n.op().elementwise() || n.op() instanceof Op.MatMul;
    }

    private static void demoteExtraMatMuls(Node n, Set<Node> inlined, boolean[] seenMatMul) {
        for (Node in : n.inputs()) {
            if (!inlined.contains(in)) continue;
            if (in.op() instanceof Op.MatMul) {
                if (seenMatMul[0]) inlined.remove(in);
                seenMatMul[0] = true;
            } else {
                demoteExtraMatMuls(in, inlined, seenMatMul);
            }
        }
    }

    private static void collect(Node n, Set<Node> inlined, List<Node> out) {
        for (Node in : n.inputs()) {
            if (inlined.contains(in)) collect(in, inlined, out);
        }
        out.add(n);
    }

    private static Set<Node> live(Graph graph, Collection<Node> roots) {
        Set<Node> live = new HashSet<>(roots);
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (live.contains(nodes.get(i))) live.addAll(nodes.get(i).inputs());
        }
        return live;
    }

    static String describe(List<Node> fused) {
        List<String> names = new ArrayList<>();
        for (Node n : fused) names.add(opName(n.op()));
        return String.join(" + ", names);
    }

    public static String opName(Op op) {
        if (op instanceof Op.Act a) return a.activation().sourceName();
        if (op instanceof Op.ActDerivative a) return a.activation().sourceName() + "'";
        if (op instanceof Op.MatMul m) return m.transposeA() ? "matmul_tn" : m.transposeB() ? "matmul" : "matmul_nn";
        if (op instanceof Op.LossValue l) return l.loss().sourceName();
        if (op instanceof Op.LossGrad l) return l.loss().sourceName() + "'";
        if (op instanceof Op.Pool p) return p.max() ? "maxpool" : "avgpool";
        if (op instanceof Op.PoolGrad p) return p.max() ? "maxpool'" : "avgpool'";
        if (op instanceof Op.ChannelsFirst) return "flatten";
        if (op instanceof Op.ChannelsLast) return "flatten'";
        if (op instanceof Op.Conv2dInputGrad) return "conv2d'(input)";
        if (op instanceof Op.Conv2dWeightGrad) return "conv2d'(filters)";
        String simple = op.getClass().getSimpleName();
        return simple.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
    }
}
