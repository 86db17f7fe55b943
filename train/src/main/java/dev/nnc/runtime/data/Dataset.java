package dev.nnc.runtime.data;

/**
 * Samples in memory, row-major: {@code rows} inputs of {@code inputWidth} floats and
 * targets of {@code targetWidth} floats (a class index or 0/1 label has width 1).
 */
public record Dataset(String origin, float[] x, float[] y, int rows, int inputWidth, int targetWidth) {

    /**
     * A digest of the rows, their widths and every bit of their values, to tell one
     * data set from another (not a cryptographic hash: it guards against mistakes).
     */
    public long digest() {
        long h = mix(0x9E3779B97F4A7C15L, rows, inputWidth, targetWidth);
        return mix(mix(h, x), y);
    }

    private static long mix(long h, float[] values) {
        // four independent products, so that the multiplier's latency does not bound the loop
        long a = h, b = ~h, c = h * 3, d = h * 5;
        int i = 0;
        for (; i + 4 <= values.length; i += 4) {
            a = (a ^ Float.floatToRawIntBits(values[i])) * 0x100000001B3L;
            b = (b ^ Float.floatToRawIntBits(values[i + 1])) * 0x100000001B3L;
            c = (c ^ Float.floatToRawIntBits(values[i + 2])) * 0x100000001B3L;
            d = (d ^ Float.floatToRawIntBits(values[i + 3])) * 0x100000001B3L;
        }
        for (; i < values.length; i++) a = (a ^ Float.floatToRawIntBits(values[i])) * 0x100000001B3L;
        return mix(a, b, c, d);
    }

    private static long mix(long h, long... values) {
        for (long v : values) {
            h = (h ^ v) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

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
