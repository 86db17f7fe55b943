package dev.nnc.compiler.ir;

import dev.nnc.compiler.source.CompilerBug;

import java.util.*;

/**
 * An immutable tensor graph: nodes in topological order, and the nodes that matter
 * to the code around it by role. Passes build a new graph with a {@link Builder}.
 *
 * @param output the prediction
 * @param loss the mean loss (null in a graph without one)
 * @param gradients what each parameter's update reads, in parameter order: after autodiff,
 *                  the loss's gradient for a trained parameter; for a running statistic,
 *                  from lowering on, its change in a step (see {@link Op.RunningChange})
 */
public record Graph(List<Node> nodes, Node output, Node loss, Map<Node, Node> gradients) {

    public List<Node> parameters() {
        return nodes.stream().filter(n -> n.op() instanceof Op.Parameter).toList();
    }

    /** How many nodes read each node. */
    public Map<Node, List<Node>> consumers() {
        Map<Node, List<Node>> consumers = new HashMap<>();
        for (Node n : nodes) {
            for (Node in : n.inputs()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
        return consumers;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        nodes.forEach(n -> out.append(n).append('\n'));
        return out.toString();
    }

    /**
     * Builds nodes, computing each shape from its op, and shares structurally equal
     * nodes (the same op on the same inputs is the same node), which later passes rely
     * on: a rule that asks for softmax(z) gets the forward pass's node.
     */
    public static final class Builder {
        private final List<Node> nodes = new ArrayList<>();
        private final Map<List<Object>, Node> existing = new HashMap<>();

        public Node add(Op op, Node... inputs) {
            CompilerBug.check(op.arity() == inputs.length, op + " takes " + op.arity() + " inputs, got " + inputs.length);
            List<Node> in = List.of(inputs);
            for (Node n : in) {
                CompilerBug.check(n.id() < nodes.size() && nodes.get(n.id()) == n, "input " + n + " is not in this graph");
            }
            List<Object> key = new ArrayList<>();
            key.add(op);
            in.forEach(n -> key.add(n.id()));
            Node found = existing.get(key);
            if (found != null && !(op instanceof Op.DropoutMask)) return found;
            Node node = new Node(nodes.size(), op, in, op.shape(in.stream().map(Node::shape).toList()));
            nodes.add(node);
            existing.put(key, node);
            return node;
        }

        /** Copies a node of another graph (whose inputs were already copied). */
        public Node copy(Node node, Map<Node, Node> copies) {
            return add(node.op(), node.inputs().stream().map(copies::get).toArray(Node[]::new));
        }

        /**
         * The graph of a rewrite: {@code original}'s output, loss and gradients, each taken
         * to its copy in this builder.
         */
        public Graph rebuilt(Graph original, Map<Node, Node> copies) {
            Map<Node, Node> gradients = new LinkedHashMap<>();
            original.gradients().forEach((key, value) -> gradients.put(copies.get(key), copies.get(value)));
            return build(copies.get(original.output()), original.loss() == null ? null : copies.get(original.loss()),
                    gradients);
        }

        public Graph build(Node output, Node loss, Map<Node, Node> gradients) {
            return new Graph(List.copyOf(nodes), output, loss, Collections.unmodifiableMap(new LinkedHashMap<>(gradients)));
        }
    }
}
