package dev.nnc.runtime.data;

import dev.nnc.runtime.weights.Preprocessor;

/**
 * Rows that a {@link Dataset} reads through copies rather than as float arrays of its own:
 * a file mapped into memory ({@link MappedRows}), or unsigned bytes on the heap
 * ({@link ByteRows}). Rows are numbered as stored; a data set may view them through an
 * index.
 */
interface StoredRows {
    int rows();

    int inputWidth();

    int targetWidth();

    /**
     * One stored row into x at {@code xAt} (its inputs scaled by {@code scaling} when not
     * null, with the arithmetic of {@link Preprocessor#applyRow}) and y at {@code yAt}.
     */
    void copy(int row, float[] x, int xAt, float[] y, int yAt, Preprocessor scaling);

    /** The sum of a stored row's first and last inputs and first target (see {@link Dataset#touch}). */
    float touch(int row);
}
