package dev.nnc.spark;

import java.io.Serializable;

/**
 * The rows of one partition as the networks read them: {@code rows} rows of inputs and
 * targets, the first being row {@code first} of the whole data (rows are numbered in
 * partition order, as a file is read). {@code problem}: what is wrong with the value
 * after the {@code rows} good ones, as the partition was converted; null when nothing is.
 */
record RowsChunk(long first, int rows, float[] x, float[] y, String problem) implements Serializable {

    /** The same rows, the first of them row {@code first} of the whole data. */
    RowsChunk numbered(long first) {
        return new RowsChunk(first, rows, x, y, problem);
    }
}
