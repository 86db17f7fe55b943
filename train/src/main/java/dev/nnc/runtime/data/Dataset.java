package dev.nnc.runtime.data;

import dev.nnc.runtime.weights.Preprocessor;

import java.util.Arrays;

/**
 * Samples, row-major: {@code rows} inputs of {@code inputWidth} floats and targets of
 * {@code targetWidth} floats (a class index or 0/1 label has width 1). They live in
 * float arrays on the heap, or are stored otherwise ({@link StoredRows}): in a file mapped
 * into memory ({@link MappedRows}) when they do not fit the heap, or as unsigned bytes
 * ({@link ByteRows}) when they are bytes, as images are. Then a selection of rows is a
 * view through an index, and the preprocessing is applied as rows are copied out, with
 * the same arithmetic as on the heap, so a run gives the same weights either way. Read
 * rows with {@link #copyRows} and {@link #copyRow}.
 */
public final class Dataset {
    private final String origin;
    private final int rows;
    private final int inputWidth;
    private final int targetWidth;
    private final float[] x;
    private final float[] y;
    private final StoredRows stored;
    /** For a view of stored rows: row i is stored row index[i] (null: the stored order). */
    private final int[] index;
    /** Applied to inputs as they are copied out of stored rows (null: none). */
    private final Preprocessor scaling;

    public Dataset(String origin, float[] x, float[] y, int rows, int inputWidth, int targetWidth) {
        this(origin, rows, inputWidth, targetWidth, x, y, null, null, null);
    }

    private Dataset(String origin, int rows, int inputWidth, int targetWidth, float[] x, float[] y, StoredRows stored,
                    int[] index, Preprocessor scaling) {
        this.origin = origin;
        this.rows = rows;
        this.inputWidth = inputWidth;
        this.targetWidth = targetWidth;
        this.x = x;
        this.y = y;
        this.stored = stored;
        this.index = index;
        this.scaling = scaling;
    }

    /** Rows stored otherwise than as float arrays: a mapped file's, or bytes. */
    static Dataset stored(String origin, StoredRows rows) {
        return new Dataset(origin, rows.rows(), rows.inputWidth(), rows.targetWidth(), null, null, rows, null, null);
    }

    public String origin() {
        return origin;
    }

    public int rows() {
        return rows;
    }

    public int inputWidth() {
        return inputWidth;
    }

    public int targetWidth() {
        return targetWidth;
    }

    /** Whether the rows are float arrays ({@link #x()} and {@link #y()}), not a mapped file or bytes. */
    public boolean inHeap() {
        return stored == null;
    }

    /** The inputs of data on the heap: {@link #rows()} rows from the start (the array may be longer: see {@link #selectInPlace}). */
    public float[] x() {
        requireHeap();
        return x;
    }

    public float[] y() {
        requireHeap();
        return y;
    }

    /** Rows [from, from + n) into the starts of x and y. */
    public void copyRows(int from, int n, float[] toX, float[] toY) {
        if (stored == null) {
            System.arraycopy(x, from * inputWidth, toX, 0, n * inputWidth);
            System.arraycopy(y, from * targetWidth, toY, 0, n * targetWidth);
            return;
        }
        for (int i = 0; i < n; i++) copyRow(from + i, toX, i * inputWidth, toY, i * targetWidth);
    }

    /**
     * Reads a row's first and last inputs and its target, and returns their sum, which
     * means nothing: a caller about to copy rows scattered over a large data set touches
     * them all first, so that the translations of their pages and their first cache lines
     * are fetched together rather than one row after another (a 32-row part of
     * Fashion-MNIST's shuffled rows, 2026-11-29: 12-17 µs to copy, against 19-24 µs).
     */
    public float touch(int row) {
        if (stored == null) {
            int at = row * inputWidth;
            return x[at] + x[at + inputWidth - 1] + (targetWidth > 0 ? y[row * targetWidth] : 0);
        }
        return stored.touch(storedRow(row));
    }

    /** Where row {@code row} of this view lies among the stored rows. */
    private int storedRow(int row) {
        return index == null ? row : index[row];
    }

    /** One row into x at {@code xAt} and y at {@code yAt}. */
    public void copyRow(int row, float[] toX, int xAt, float[] toY, int yAt) {
        if (stored == null) {
            System.arraycopy(x, row * inputWidth, toX, xAt, inputWidth);
            System.arraycopy(y, row * targetWidth, toY, yAt, targetWidth);
            return;
        }
        stored.copy(storedRow(row), toX, xAt, toY, yAt, scaling);
    }

    /** The rows at these indices, in this order: a copy of float arrays, a view of stored rows. */
    public Dataset select(int[] indices) {
        if (stored != null) {
            int[] at = Arrays.stream(indices).map(this::storedRow).toArray();
            return new Dataset(origin, indices.length, inputWidth, targetWidth, null, null, stored, at, scaling);
        }
        float[] sx = new float[indices.length * inputWidth];
        float[] sy = new float[indices.length * targetWidth];
        for (int i = 0; i < indices.length; i++) copyRow(indices[i], sx, i * inputWidth, sy, i * targetWidth);
        return new Dataset(origin, sx, sy, indices.length, inputWidth, targetWidth);
    }

    /** The rows from, inclusive, to to, exclusive, of a permutation. */
    public Dataset select(int[] permutation, int from, int to) {
        return select(Arrays.copyOfRange(permutation, from, to));
    }

    /**
     * Rows [from, to) of a permutation, for a caller that owns these rows and will not read
     * them again in their order (the training rows left after a test or validation split):
     * rows on the heap are moved where they lie into the permutation's order from
     * {@code from} on, and the data set returned holds the first {@code to - from} of them in
     * this one's arrays, which are longer than its rows then. This data set is no longer to
     * be read. A copy would hold a second array as large until the first is dropped: for
     * the 54,000 training rows of Fashion-MNIST after a 10% validation split, 169 MB more
     * at the peak, and 0.14 s against 0.09 s in place (2026-11-29, an Intel Xeon, three
     * JVMs each). Stored rows get the view {@link #select(int[], int, int)} gives.
     */
    public Dataset selectInPlace(int[] permutation, int from, int to) {
        if (stored != null) return select(permutation, from, to);
        if (permutation.length != rows || from < 0 || from > to || to > rows) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") of a permutation of "
                    + permutation.length + " rows, for " + rows);
        }
        int[] source = new int[rows];
        for (int i = 0; i < rows; i++) source[i] = permutation[(from + i) % rows];
        permuteRows(source);
        return new Dataset(origin, x, y, to - from, inputWidth, targetWidth);
    }

    /** Moves row source[i] to row i for every i, one cycle of the permutation at a time, through one spare row. */
    private void permuteRows(int[] source) {
        boolean[] placed = new boolean[rows];
        float[] spareX = new float[inputWidth];
        float[] spareY = new float[targetWidth];
        for (int start = 0; start < rows; start++) {
            if (placed[start]) continue;
            copyRow(start, spareX, 0, spareY, 0);
            int at = start;
            while (source[at] != start) {
                int from = source[at];
                copyRow(from, x, at * inputWidth, y, at * targetWidth);
                placed[at] = true;
                at = from;
            }
            System.arraycopy(spareX, 0, x, at * inputWidth, inputWidth);
            System.arraycopy(spareY, 0, y, at * targetWidth, targetWidth);
            placed[at] = true;
        }
    }

    /** The data with its inputs scaled: a scaled copy of float arrays, a view that scales stored rows as it copies them. */
    public Dataset scaled(Preprocessor preprocessor) {
        if (preprocessor.identity()) return this;
        if (stored != null) {
            if (scaling != null) throw new IllegalStateException("stored rows scaled twice");
            return new Dataset(origin, rows, inputWidth, targetWidth, null, null, stored, index, preprocessor);
        }
        float[] scaled = x.clone();
        preprocessor.apply(scaled, rows);
        return new Dataset(origin, scaled, y, rows, inputWidth, targetWidth);
    }

    /**
     * The data with its inputs scaled, for a caller that owns the rows and needs them raw
     * no longer: rows on the heap are scaled where they lie, with the arithmetic of
     * {@link #scaled}, and this data set then holds the scaled rows too. A copy of a large
     * data set costs a second array as large, and fresh memory is slow to come by (on the
     * AMD machine of 2026-11-29's morning about 3.5 ms a megabyte on first touch: a scaled
     * copy of Fashion-MNIST's 188 MB of inputs took 0.66 s in a fresh JVM). Mapped rows get
     * the view {@link #scaled} gives, as do rows stored otherwise.
     */
    public Dataset scaledInPlace(Preprocessor preprocessor) {
        if (preprocessor.identity() || stored != null) return scaled(preprocessor);
        preprocessor.apply(x, rows);
        return this;
    }

    /**
     * A digest of the rows, their widths and every bit of their values, to tell one
     * data set from another (not a cryptographic hash: it guards against mistakes).
     */
    public long digest() {
        long h = mix(0x9E3779B97F4A7C15L, rows, inputWidth, targetWidth);
        int chunk = 4096;
        float[] bx = new float[chunk * inputWidth];
        float[] by = new float[chunk * targetWidth];
        for (int from = 0; from < rows; from += chunk) {
            int n = Math.min(chunk, rows - from);
            copyRows(from, n, bx, by);
            h = mix(mix(h, bx, n * inputWidth), by, n * targetWidth);
        }
        return h;
    }

    private static long mix(long h, float[] values, int length) {
        // four independent products, so that the multiplier's latency does not bound the loop
        long a = h, b = ~h, c = h * 3, d = h * 5;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            a = (a ^ Float.floatToRawIntBits(values[i])) * 0x100000001B3L;
            b = (b ^ Float.floatToRawIntBits(values[i + 1])) * 0x100000001B3L;
            c = (c ^ Float.floatToRawIntBits(values[i + 2])) * 0x100000001B3L;
            d = (d ^ Float.floatToRawIntBits(values[i + 3])) * 0x100000001B3L;
        }
        for (; i < length; i++) a = (a ^ Float.floatToRawIntBits(values[i])) * 0x100000001B3L;
        return mix(a, b, c, d);
    }

    private static long mix(long h, long... values) {
        for (long v : values) {
            h = (h ^ v) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    private void requireHeap() {
        if (stored != null) throw new IllegalStateException(origin + " is not stored as floats: read it with copyRows");
    }
}
