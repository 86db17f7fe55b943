package dev.nnc.compiler.ir;

import java.util.List;

/**
 * The static shape of a tensor. A batched tensor has one row of {@code dims} per
 * sample; the number of rows is the symbolic batch size, known only at run time.
 * Parameters and their gradients are not batched; a loss is an unbatched scalar.
 */
public record Shape(boolean batched, List<Integer> dims) {

    public static final Shape SCALAR = new Shape(false, List.of());

    public static Shape batch(int width) {
        return new Shape(true, List.of(width));
    }

    public static Shape fixed(Integer... dims) {
        return new Shape(false, List.of(dims));
    }

    /** Elements per row (batched) or in all (unbatched). */
    public int size() {
        return dims.stream().reduce(1, (a, b) -> a * b);
    }

    /** As a matrix: rows (-1 for the batch) and columns. */
    public int rows() {
        if (batched) return BATCH;
        return dims.size() == 2 ? dims.get(0) : 1;
    }

    public int columns() {
        return batched ? size() : dims.isEmpty() ? 1 : dims.get(dims.size() - 1);
    }

    /** The symbolic batch size as a matrix dimension. */
    public static final int BATCH = -1;

    /** The shape of a matrix with these rows (possibly the batch) and columns. */
    public static Shape matrix(int rows, int columns) {
        return rows == BATCH ? batch(columns) : fixed(rows, columns);
    }

    @Override
    public String toString() {
        return (batched ? "[B, " : "[") + String.join(", ", dims.stream().map(String::valueOf).toList()) + "]";
    }
}
