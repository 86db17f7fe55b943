package dev.nnc.runtime.data;

import dev.nnc.runtime.weights.Preprocessor;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;

/**
 * Rows of a {@link CsvCache} file mapped into memory, read where they lie: the inputs
 * of all rows, then their targets, as float32. A mapping holds at most 2 GB, so the
 * inputs are mapped in segments of whole rows. The operating system pages the file in
 * and out; the heap holds none of it.
 */
final class MappedRows implements StoredRows {
    private static final long SEGMENT_BYTES = 1L << 30;

    private final int rows;
    private final int inputWidth;
    private final int targetWidth;
    private final int rowsPerSegment;
    private final FloatBuffer[] inputs;
    private final FloatBuffer[] targets;

    private MappedRows(int rows, int inputWidth, int targetWidth, int rowsPerSegment, FloatBuffer[] inputs, FloatBuffer[] targets) {
        this.rows = rows;
        this.inputWidth = inputWidth;
        this.targetWidth = targetWidth;
        this.rowsPerSegment = rowsPerSegment;
        this.inputs = inputs;
        this.targets = targets;
    }

    /** The rows whose inputs begin at {@code start} in the file, their targets right after. */
    static MappedRows map(FileChannel file, long start, int rows, int inputWidth, int targetWidth) throws IOException {
        int rowsPerSegment = (int) Math.max(1, Math.min(rows, SEGMENT_BYTES / (4L * Math.max(inputWidth, targetWidth))));
        int segments = (rows + rowsPerSegment - 1) / rowsPerSegment;
        FloatBuffer[] inputs = new FloatBuffer[segments];
        FloatBuffer[] targets = new FloatBuffer[segments];
        long targetStart = start + 4L * rows * inputWidth;
        for (int s = 0; s < segments; s++) {
            int n = Math.min(rowsPerSegment, rows - s * rowsPerSegment);
            long first = (long) s * rowsPerSegment;
            inputs[s] = map(file, start + 4 * first * inputWidth, 4L * n * inputWidth);
            targets[s] = map(file, targetStart + 4 * first * targetWidth, 4L * n * targetWidth);
        }
        return new MappedRows(rows, inputWidth, targetWidth, rowsPerSegment, inputs, targets);
    }

    private static FloatBuffer map(FileChannel file, long at, long bytes) throws IOException {
        return file.map(FileChannel.MapMode.READ_ONLY, at, bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int inputWidth() {
        return inputWidth;
    }

    @Override
    public int targetWidth() {
        return targetWidth;
    }

    /** Every row, in order, into arrays of rows x widths floats. */
    void copyAll(float[] x, float[] y) {
        for (int s = 0; s < inputs.length; s++) {
            inputs[s].get(0, x, s * rowsPerSegment * inputWidth, inputs[s].capacity());
            targets[s].get(0, y, s * rowsPerSegment * targetWidth, targets[s].capacity());
        }
    }

    @Override
    public float touch(int row) {
        int segment = row / rowsPerSegment;
        int within = row - segment * rowsPerSegment;
        return inputs[segment].get(within * inputWidth) + inputs[segment].get((within + 1) * inputWidth - 1)
                + (targetWidth > 0 ? targets[segment].get(within * targetWidth) : 0);
    }

    @Override
    public void copy(int row, float[] x, int xAt, float[] y, int yAt, Preprocessor scaling) {
        int segment = row / rowsPerSegment;
        int within = row - segment * rowsPerSegment;
        inputs[segment].get(within * inputWidth, x, xAt, inputWidth);
        targets[segment].get(within * targetWidth, y, yAt, targetWidth);
        if (scaling != null) scaling.applyRow(x, xAt);
    }
}
