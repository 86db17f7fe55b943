package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix product of prediction, c = a · wᵀ, in the pattern of BLIS and MLAS: the
 * weight matrix w ([n][k], as a dense layer stores it) is packed once, when the weights
 * are set, into panels of 64 columns of wᵀ (k rows of 64 contiguous floats, zero past
 * n), so that the micro-kernel reads each panel row as four vectors and multiplies it
 * by six broadcast elements of a: 24 accumulators in registers, 24 FMAs per 10 loads.
 *
 * <p>Every element of c is the same chain of FMAs over k in order, whichever kernel
 * (6, 4, 2 rows or 1; 16, 8, 4 or 1 vectors) and whichever core computes it: a row's
 * result does not depend on the rows around it, so a batch gives exactly what its rows
 * give alone, and one row split over two cores ({@link Helper}) what it gives on one.
 *
 * <p>Two things C2 (JDK 17) is particular about, measured on 784 by 256 at 120 rows: the
 * loops run on the panel offset against its end (with the k index beside it), 170
 * GFLOP/s against 151 when they test k; and no vector is a static constant (a static
 * final zero vector made every kernel fall back to boxed vectors, at 3 GFLOP/s).
 *
 * <p>A compiled model computes most rows of a batch in taller tiles of its own before it
 * calls {@link #multiply(float[], float[], float[], int, int, int, int)} for the rest
 * (the compiler's TallTileEmitter: 14 or 12 rows by half a panel, which its fixed k
 * allows), on the same panels and with the same chain of FMAs per element.
 *
 * <p>Needs 512-bit vectors (AVX-512); {@link #available()} says whether this JVM has them.
 */
public final class Gemm {
    /** Columns of wᵀ per panel: four vectors of 16 floats. */
    public static final int PANEL = 64;
    /**
     * Floats before the first panel: 48 bytes, which with an array's 16 bytes of header
     * start the panels on a cache line when the array does ({@link AlignedPanels}).
     */
    public static final int FIRST = 12;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int TILE_ROWS = 6;

    private Gemm() {}

    /** Whether the JVM runs 512-bit float vectors natively (else the model's own kernels are faster). */
    public static boolean available() {
        return FloatVector.SPECIES_PREFERRED.length() >= S.length();
    }

    /**
     * w ([n][k], row-major) as panels of wᵀ: panel p holds, for each kk, w[p*64 .. p*64+63][kk],
     * from {@link #FIRST} on, in an array that may be longer.
     */
    public static float[] pack(float[] w, int n, int k) {
        int panels = (n + PANEL - 1) / PANEL;
        float[] packed = AlignedPanels.allocate(FIRST + panels * k * PANEL);
        // written in order, read from 64 rows of w at once (five times faster than the other way round)
        for (int p = 0; p < panels; p++) {
            int columns = Math.min(PANEL, n - p * PANEL);
            for (int kk = 0; kk < k; kk++) {
                int to = FIRST + (p * k + kk) * PANEL;
                for (int jj = 0; jj < columns; jj++) packed[to + jj] = w[(p * PANEL + jj) * k + kk];
            }
        }
        return packed;
    }

    /**
     * Rows of a per block: a block's rows (120 of 784 floats: 376 KB) stay in L2 while
     * every panel streams past them.
     */
    private static final int BLOCK_ROWS = 20 * TILE_ROWS;

    /** c[rows][n] = a[rows][k] · wᵀ, with w packed by {@link #pack}. */
    public static void multiply(float[] a, float[] packed, float[] c, int rows, int k, int n) {
        multiply(a, packed, c, 0, rows, k, n);
    }

    /**
     * Rows [from, rows) of c = a · wᵀ. A model's own kernel computes the rows before
     * {@code from} in taller tiles, which it can because it knows k (its tiles read the
     * rows of a at distances fixed when the model is compiled; here k is a variable, and
     * a row more per tile would cost C2 a register it does not have).
     */
    public static void multiply(float[] a, float[] packed, float[] c, int from, int rows, int k, int n) {
        int panels = n / PANEL;
        int tiled = rows - (rows - from) % TILE_ROWS;
        for (int block = from; block < tiled; block += BLOCK_ROWS) {
            int blockEnd = Math.min(tiled, block + BLOCK_ROWS);
            for (int p = 0; p < panels; p++) {
                for (int row = block; row < blockEnd; row += TILE_ROWS) {
                    GemmTiles.tile6x4(a, k, row, packed, start(p, k), k, c, n, row * n + p * PANEL);
                }
            }
        }
        // four or two of the rows left in smaller tiles: a batch of 64 leaves four, which
        // the one-row kernels took at a third of the tile's speed (a sixth of the time)
        int row = tiled;
        for (; row + 4 <= rows; row += 4) {
            for (int p = 0; p < panels; p++) GemmTiles.tile4x4(a, k, row, packed, start(p, k), k, c, n, row * n + p * PANEL);
        }
        for (; row + 2 <= rows; row += 2) {
            for (int p = 0; p < panels; p++) GemmTiles.tile2x4(a, k, row, packed, start(p, k), k, c, n, row * n + p * PANEL);
        }
        if (from == 0 && rows == 1 && panels >= 2 && (long) k * n >= Helper.SPLIT_MACS && Helper.tryClaim()) {
            // one sample: the upper half of the panels on the helper's core
            int mid = panels / 2;
            ROW_HALF.set(a, packed, c, k, n, mid, panels);
            Helper.post(ROW_HALF);
            panelsOfRow(a, 0, packed, c, k, n, 0, mid);
            Helper.join();
        } else {
            for (; row < rows; row++) panelsOfRow(a, row, packed, c, k, n, 0, panels);
        }
        if (panels * PANEL < n) narrowPanel(a, packed, c, from, rows, k, n, start(panels, k), panels * PANEL);
    }

    /** Where panel p begins. */
    private static int start(int p, int k) {
        return FIRST + p * k * PANEL;
    }

    /**
     * One row's columns of the panels from {@code from} to {@code to}: two or four panels at
     * a time, so that eight or sixteen chains of FMAs are in flight rather than four.
     */
    private static void panelsOfRow(float[] a, int row, float[] packed, float[] c, int k, int n, int from, int to) {
        int p = from;
        for (; p + 4 <= to; p += 4) GemmTiles.tile1x16(a, k, row, packed, start(p, k), k, c, n, row * n + p * PANEL);
        for (; p + 2 <= to; p += 2) GemmTiles.tile1x8(a, k, row, packed, start(p, k), k, c, n, row * n + p * PANEL);
        if (p < to) GemmTiles.tile1x4(a, k, row, packed, start(p, k), k, c, n, row * n + p * PANEL);
    }

    /** The helper's half of one row: the arguments of {@link #panelsOfRow}. */
    private static final class RowHalf implements Runnable {
        private float[] a, packed, c;
        private int k, n, from, to;

        void set(float[] a, float[] packed, float[] c, int k, int n, int from, int to) {
            this.a = a; this.packed = packed; this.c = c;
            this.k = k; this.n = n; this.from = from; this.to = to;
        }

        @Override
        public void run() {
            panelsOfRow(a, 0, packed, c, k, n, from, to);
            a = packed = c = null; // the model's buffers are not the helper's to keep
        }
    }

    /** Written only by the thread that claimed the {@link Helper}. */
    private static final RowHalf ROW_HALF = new RowHalf();

    /**
     * The last panel, narrower than 64 columns: one vector at a time. A last vector that
     * c has only some columns of goes to a buffer of whole vectors, and from there the
     * columns c has: on JDK 17 a masked store is not compiled to one instruction but runs
     * lane by lane, and the vector and its mask were boxed (a packed prediction of one row
     * of the Fashion-MNIST MLP, whose last layer has 10 columns, allocated 112 bytes; a
     * typed one 208-256 bytes, now only its result's 80).
     */
    private static void narrowPanel(float[] a, float[] packed, float[] c, int from, int rows, int k, int n, int bStart, int column) {
        for (int v = 0; column + v * 16 < n; v++) {
            int col = column + v * 16;
            int b = bStart + v * 16;
            int width = Math.min(16, n - col);
            int row = from;
            if (width == 16) {
                for (; row + TILE_ROWS <= rows; row += TILE_ROWS) GemmTiles.tile6x1(a, k, row, packed, b, k, c, n, row * n + col);
                for (; row < rows; row++) GemmTiles.tile1x1(a, k, row, packed, b, k, c, n, row * n + col);
                continue;
            }
            float[] edge = EDGE.get();
            for (; row + TILE_ROWS <= rows; row += TILE_ROWS) {
                GemmTiles.tile6x1(a, k, row, packed, b, k, edge, 16, 0);
                for (int r = 0; r < TILE_ROWS; r++) System.arraycopy(edge, r * 16, c, (row + r) * n + col, width);
            }
            for (; row < rows; row++) {
                GemmTiles.tile1x1(a, k, row, packed, b, k, edge, 16, 0);
                System.arraycopy(edge, 0, c, row * n + col, width);
            }
        }
    }

    /** Each thread's buffer of a narrow panel's last vector: six rows of 16 columns. */
    private static final ThreadLocal<float[]> EDGE = ThreadLocal.withInitial(() -> new float[TILE_ROWS * 16]);
}
