package dev.nnc.runtime;

import java.util.Arrays;

/**
 * The buffers of a model too large for one class file, which keeps them in one array
 * of arrays instead of a field each (see the compiler's split layout). The generated
 * class describes them in tables of ints, written as text in its class file (a table
 * of ints in bytecode costs seven bytes an entry, and a method holds 64 KB): the
 * layout, two ints per buffer, its size and its flags; and lists of positions.
 */
public final class BufferTable {
    /** A flag of the layout: the buffer holds a row per sample, {@code size} floats each. */
    public static final int BATCHED = 1;
    /** A flag of the layout: a replica shares the buffer with its network (parameters, optimizer state). */
    public static final int SHARED = 2;

    private BufferTable() {}

    /** "3,1,0,5": the ints of a table. */
    public static int[] parse(String text) {
        if (text.isEmpty()) return new int[0];
        return Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** New float buffers for the layout, or (with {@code shared} not null) a replica's, which shares the SHARED ones. */
    public static float[][] floats(int[] layout, int maxBatch, float[][] shared) {
        float[][] buffers = new float[layout.length / 2][];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = shared != null && (layout[2 * i + 1] & SHARED) != 0 ? shared[i] : new float[length(layout, i, maxBatch)];
        }
        return buffers;
    }

    /** The same in double precision (the gradient check's class). */
    public static double[][] doubles(int[] layout, int maxBatch, double[][] shared) {
        double[][] buffers = new double[layout.length / 2][];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = shared != null && (layout[2 * i + 1] & SHARED) != 0 ? shared[i] : new double[length(layout, i, maxBatch)];
        }
        return buffers;
    }

    private static int length(int[] layout, int i, int maxBatch) {
        long length = (layout[2 * i + 1] & BATCHED) != 0 ? (long) layout[2 * i] * maxBatch : layout[2 * i];
        if (length > Integer.MAX_VALUE - 8) {
            throw new UserError("error: a buffer of " + length + " elements is more than a Java array holds: use a smaller batch");
        }
        return (int) length;
    }

    /** The buffers at these positions, in an array of the same type (float[][] or double[][]). */
    public static <T> T[] select(T[] buffers, int[] positions) {
        T[] selected = Arrays.copyOf(buffers, positions.length);
        for (int i = 0; i < positions.length; i++) selected[i] = buffers[positions[i]];
        return selected;
    }

    /** Fills the buffers at these positions with zeros. */
    public static void zero(Object[] buffers, int[] positions) {
        for (int p : positions) {
            if (buffers[p] instanceof float[] f) {
                Arrays.fill(f, 0f);
            } else {
                Arrays.fill((double[]) buffers[p], 0d);
            }
        }
    }
}
