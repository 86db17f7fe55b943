package dev.nnc.runtime.data;

/**
 * Samples in memory, row-major: {@code rows} inputs of {@code inputWidth} floats and
 * targets of {@code targetWidth} floats (a class index or 0/1 label has width 1).
 */
public record Dataset(String origin, float[] x, float[] y, int rows, int inputWidth, int targetWidth) {

    /** The rows at these indices, in this order. */
    public Dataset select(int[] indices) {
        float[] sx = new float[indices.length * inputWidth];
        float[] sy = new float[indices.length * targetWidth];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(x, indices[i] * inputWidth, sx, i * inputWidth, inputWidth);
            System.arraycopy(y, indices[i] * targetWidth, sy, i * targetWidth, targetWidth);
        }
        return new Dataset(origin, sx, sy, indices.length, inputWidth, targetWidth);
    }

    /** The rows from, inclusive, to to, exclusive, of a permutation. */
    public Dataset select(int[] permutation, int from, int to) {
        return select(java.util.Arrays.copyOfRange(permutation, from, to));
    }
}
