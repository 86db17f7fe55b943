package dev.nnc.compiler.ir;

/** {@code l1 * sum|w| + l2 * sum w^2} over the weights (not the biases), added to the loss. */
public record Penalty(double l1, double l2) {
    public static final Penalty NONE = new Penalty(0, 0);

    public boolean active() {
        return l1 != 0 || l2 != 0;
    }
}
