package dev.nnc.compiler.loop;

/**
 * One matrix product for the Vector API helper class, as a static method
 * {@code name(float[] a, float[] b, float[] c, int rows)} writing c = a' · b'.
 * A dimension of -1 is the batch, given at run time as {@code rows}.
 *
 * <p>{@code dot}: c[i][j] = sum_k a[i][k] b[j][k] (b transposed: both rows contiguous
 * in k, so each element is a dot product). Otherwise the axpy form
 * c[i][j] = sum_k a(i, k) b[k][j], with a(i, k) = a[k][i] when {@code transposeA}:
 * rows of b are added into rows of c.
 */
public record VectorMatMul(String name, boolean dot, boolean transposeA, int m, int n, int k) {
    /**
     * The product of this form and these sizes, named for them ({@code dot_b_256_784}:
     * c[b][256] = a[b][784] · w[256][784]ᵀ over the batch b), so that the kernels with
     * the same product (prediction's, evaluation's and training's forward pass of a layer)
     * call one method: the JIT compiles it once, and evaluation after a training epoch
     * runs code that is compiled already.
     */
    public static VectorMatMul of(boolean dot, boolean transposeA, int m, int n, int k) {
        String form = dot ? "dot" : transposeA ? "axpyT" : "axpy";
        return new VectorMatMul(form + "_" + size(m) + "_" + size(n) + "_" + size(k), dot, transposeA, m, n, k);
    }

    private static String size(int dimension) {
        return dimension < 0 ? "b" : Integer.toString(dimension);
    }

    /**
     * Rows of a that a dot product lays out transposed at once, in its work array of
     * {@code k * BLOCK_ROWS} floats: two vectors of 16 per step of k.
     */
    public static final int BLOCK_ROWS = 32;

    /** Floats of the dot product's work array. */
    public int scratchSize() {
        return k * BLOCK_ROWS;
    }
}
