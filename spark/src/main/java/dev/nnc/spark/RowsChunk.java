package dev.nnc.spark;

import java.io.Serializable;

/**
 * The rows of one partition as the networks read them: {@code rows} rows of inputs and
 * targets, the first being row {@code first} of the whole data (rows are numbered in
 * partition order, as a file is read).
 */
record RowsChunk(long first, int rows, float[] x, float[] y) implements Serializable {
}
