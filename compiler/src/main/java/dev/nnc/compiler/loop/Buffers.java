package dev.nnc.compiler.loop;

import dev.nnc.compiler.ir.Graph;
import dev.nnc.compiler.ir.Node;
import dev.nnc.compiler.ir.Op;
import dev.nnc.compiler.ir.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of the arrays kernels read and write: {@code x} and {@code y} for the
 * batch, {@code p0, p1...} for parameters, {@code g0, g1...} for their gradients, and
 * a prefix and the node id for every other tensor of a graph. Parameters are numbered
 * by name, so the training and the inference graph share them.
 */
public final class Buffers {
    public static final String LOSS = "loss";
    /** The number of samples means are taken over: the whole batch, when a part of it is computed. */
    public static final String BATCH = "batch";

    private final String prefix;
    private final Map<String, Integer> parameterIndex;
    private final Map<Node, Integer> gradientOf = new LinkedHashMap<>();

    public Buffers(String prefix, List<String> parameterNames, Graph graph) {
        this.prefix = prefix;
        this.parameterIndex = new LinkedHashMap<>();
        for (int i = 0; i < parameterNames.size(); i++) parameterIndex.put(parameterNames.get(i), i);
        for (Map.Entry<Node, Node> e : graph.gradients().entrySet()) {
            gradientOf.put(e.getValue(), parameterIndex.get(((Op.Parameter) e.getKey().op()).name()));
        }
    }

    public String name(Node node) {
        if (node.op() instanceof Op.Input) return "x";
        if (node.op() instanceof Op.Target) return "y";
        if (node.op() instanceof Op.Parameter p) return parameter(parameterIndex.get(p.name()));
        Integer gradient = gradientOf.get(node);
        if (gradient != null) return gradient(gradient);
        if (node.shape().equals(Shape.SCALAR)) return LOSS;
        return prefix + node.id();
    }

    public static String parameter(int index) {
        return "p" + index;
    }

    public static String gradient(int index) {
        return "g" + index;
    }

    public static String state(int parameter, int slot) {
        return "s" + parameter + "_" + slot;
    }

    /** Whether the class must allocate this node's buffer (the batch arrays are the caller's). */
    public static boolean owned(Node node) {
        return !(node.op() instanceof Op.Input || node.op() instanceof Op.Target) && !node.shape().equals(Shape.SCALAR);
    }

    /** Elements to allocate: a row per sample up to the largest batch. */
    public static int length(Node node, int maxBatch) {
        return node.shape().batched() ? maxBatch * node.shape().size() : node.shape().size();
    }
}
