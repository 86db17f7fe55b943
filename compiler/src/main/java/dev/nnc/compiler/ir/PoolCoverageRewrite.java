package dev.nnc.compiler.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes only the pixels of a convolution that the pool after it reads. A pool whose
 * windows do not reach the last rows or columns of its input (2 x 2 windows over the
 * 11 x 11 output of the Fashion-MNIST CNN's second convolution read 10 x 10 of it)
 * leaves a sixth of the convolution's work unused, in prediction and in both gradients.
 * When a convolution's only reader is such a pool, through element-wise activations
 * that nothing else reads, the convolution's window gets the covered output size (its
 * input stays whole: the window simply stops earlier) and the pool's input shrinks to
 * match. Exact: the pixels dropped reach neither the output nor, through the pool,
 * any gradient. The shapes users see (checker, summary, ONNX export) are those of the
 * model as written; only the generated code computes less.
 */
public final class PoolCoverageRewrite {
    private PoolCoverageRewrite() {}

    public static Graph rewrite(Graph graph) {
        Map<Node, Window> cropped = croppedConvolutions(graph);
        if (cropped.isEmpty()) return graph;
        Graph.Builder out = new Graph.Builder();
        Map<Node, Node> copies = new HashMap<>();
        for (Node n : graph.nodes()) {
            Node[] inputs = n.inputs().stream().map(copies::get).toArray(Node[]::new);
            Op op = n.op();
            if (cropped.containsKey(n)) {
                Op.Conv2d c = (Op.Conv2d) op;
                op = new Op.Conv2d(cropped.get(n), c.filters(), c.bias());
            } else if (op instanceof Op.Pool p && inputs[0].shape().size() != p.window().inputSize()) {
                // the input of a pool whose convolution was cropped: exactly what the windows cover
                Window w = p.window();
                op = new Op.Pool(new Window(coveredHeight(w), coveredWidth(w), w.channels(), w.kernelHeight(), w.kernelWidth(),
                        w.stride(), w.padTop(), w.padLeft(), w.outHeight(), w.outWidth()), p.max());
            }
            copies.put(n, out.add(op, inputs));
        }
        return GraphVerifier.verify(out.rebuilt(graph, copies));
    }

    /** The convolutions to crop, with their new windows. */
    private static Map<Node, Window> croppedConvolutions(Graph graph) {
        Map<Node, List<Node>> consumers = graph.consumers();
        List<Node> outputs = new ArrayList<>(List.of(graph.output()));
        if (graph.loss() != null) outputs.add(graph.loss());
        outputs.addAll(graph.gradients().values());
        Map<Node, Window> cropped = new HashMap<>();
        for (Node pool : graph.nodes()) {
            if (!(pool.op() instanceof Op.Pool p) || p.window().padded()) continue;
            Window w = p.window();
            int coveredHeight = coveredHeight(w), coveredWidth = coveredWidth(w);
            if (coveredHeight == w.height() && coveredWidth == w.width()) continue;
            Node x = pool.input(0);
            while (onlyReader(x, consumers, outputs) && x.op() instanceof Op.Act) x = x.input(0);
            if (!onlyReader(x, consumers, outputs) || !(x.op() instanceof Op.Conv2d c)) continue;
            Window cw = c.window();
            if (cw.outHeight() != w.height() || cw.outWidth() != w.width()) continue;
            cropped.put(x, new Window(cw.height(), cw.width(), cw.channels(), cw.kernelHeight(), cw.kernelWidth(),
                    cw.stride(), cw.padTop(), cw.padLeft(), coveredHeight, coveredWidth));
        }
        return cropped;
    }

    /** Whether one node reads n, and n is no result of the graph. */
    private static boolean onlyReader(Node n, Map<Node, List<Node>> consumers, List<Node> outputs) {
        return consumers.getOrDefault(n, List.of()).size() == 1 && !outputs.contains(n);
    }

    private static int coveredHeight(Window w) {
        return (w.outHeight() - 1) * w.stride() + w.kernelHeight();
    }

    private static int coveredWidth(Window w) {
        return (w.outWidth() - 1) * w.stride() + w.kernelWidth();
    }
}
