package dev.nnc.compiler.ir;

import dev.nnc.compiler.source.CompilerBug;

import java.util.Map;

/** Checks the invariants every pass must keep; a failure is a compiler bug. */
public final class GraphVerifier {
    private GraphVerifier() {}

    public static Graph verify(Graph graph) {
        for (int i = 0; i < graph.nodes().size(); i++) {
            Node n = graph.nodes().get(i);
            CompilerBug.check(n.id() == i, "node ids are not positions: " + n);
            for (Node in : n.inputs()) {
                CompilerBug.check(in.id() < n.id() && graph.nodes().get(in.id()) == in, "input after use or foreign: " + n);
            }
            Shape computed = n.op().shape(n.inputs().stream().map(Node::shape).toList());
            CompilerBug.check(computed.equals(n.shape()), "stale shape on " + n);
        }
        member(graph, graph.output(), "output");
        if (graph.loss() != null) {
            member(graph, graph.loss(), "loss");
            CompilerBug.check(graph.loss().shape().equals(Shape.SCALAR), "loss is not a scalar");
        }
        for (Map.Entry<Node, Node> e : graph.gradients().entrySet()) {
            member(graph, e.getKey(), "parameter");
            member(graph, e.getValue(), "gradient");
            CompilerBug.check(e.getKey().shape().equals(e.getValue().shape()),
                    "gradient shape " + e.getValue().shape() + " of " + e.getKey());
        }
        return graph;
    }

    private static void member(Graph graph, Node node, String role) {
        CompilerBug.check(node != null && node.id() < graph.nodes().size() && graph.nodes().get(node.id()) == node,
                role + " node not in graph");
    }
}
