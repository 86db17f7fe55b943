package dev.nnc.runtime.data;

import dev.nnc.runtime.VectorApi;
import dev.nnc.runtime.weights.Preprocessor;
import dev.nnc.runtime.vector.Rows;

/**
 * Rows whose inputs are unsigned bytes, kept as bytes: an IDX file's images. A quarter of
 * the memory of their floats (Fashion-MNIST's 60,000 training images: 47 MB against
 * 188 MB), and a quarter of the bytes to fetch when a training step copies its shuffled
 * rows out of a data set far larger than the caches; each value becomes a float, and is
 * scaled, as it is copied, with the same arithmetic as floats scaled where they lie.
 *
 * @param x the inputs, row after row, each byte a value from 0 to 255
 * @param y the targets, as floats
 */
record ByteRows(byte[] x, float[] y, int rows, int inputWidth, int targetWidth) implements StoredRows {
    /** Whether the rows are widened with the Vector API. */
    private static final boolean VECTOR = VectorApi.enabled();

    ByteRows {
        if ((long) rows * inputWidth > x.length || (long) rows * targetWidth > y.length) {
            throw new IllegalArgumentException(rows + " rows of " + inputWidth + " and " + targetWidth + " values in arrays of "
                    + x.length + " and " + y.length);
        }
    }

    @Override
    public void copy(int row, float[] toX, int xAt, float[] toY, int yAt, Preprocessor scaling) {
        int from = row * inputWidth;
        System.arraycopy(y, row * targetWidth, toY, yAt, targetWidth);
        if (VECTOR && scaling != null) {
            Rows.widenAndScale(x, from, scaling.shift(), scaling.scale(), toX, xAt);
            return;
        }
        if (VECTOR) {
            Rows.widen(x, from, toX, xAt, inputWidth);
        } else {
            for (int j = 0; j < inputWidth; j++) toX[xAt + j] = x[from + j] & 0xFF;
        }
        if (scaling != null) scaling.applyRow(toX, xAt);
    }

    @Override
    public float touch(int row) {
        int at = row * inputWidth;
        return (x[at] & 0xFF) + (x[at + inputWidth - 1] & 0xFF) + (targetWidth > 0 ? y[row * targetWidth] : 0);
    }
}
