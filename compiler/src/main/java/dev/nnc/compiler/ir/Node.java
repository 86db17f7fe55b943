package dev.nnc.compiler.ir;

import java.util.List;

/** A tensor in the graph: an op applied to earlier nodes; ids follow topological order. */
public record Node(int id, Op op, List<Node> inputs, Shape shape) {

    public Node input(int i) {
        return inputs.get(i);
    }

    @Override
    public String toString() {
        return "%" + id + " = " + op + inputs.stream().map(n -> " %" + n.id()).reduce("", String::concat) + " : " + shape;
    }

    // Nodes are compared by identity of their graph position, not deeply.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
