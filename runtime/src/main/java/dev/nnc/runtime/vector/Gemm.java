package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
 * <p>Needs 512-bit vectors (AVX-512); {@link #available()} says whether this JVM has them.
 */
public final class Gemm {
    /** Columns of wᵀ per panel: four vectors of 16 floats. */
    public static final int PANEL = 64;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int TILE_ROWS = 6;

    private Gemm() {}

    /** Whether the JVM runs 512-bit float vectors natively (else the model's own kernels are faster). */
    public static boolean available() {
        return FloatVector.SPECIES_PREFERRED.length() >= S.length();
    }

    /** w ([n][k], row-major) as panels of wᵀ: panel p holds, for each kk, w[p*64 .. p*64+63][kk]. */
    public static float[] pack(float[] w, int n, int k) {
        int panels = (n + PANEL - 1) / PANEL;
        float[] packed = new float[panels * k * PANEL];
        // written in order, read from 64 rows of w at once (five times faster than the other way round)
        for (int p = 0; p < panels; p++) {
            int columns = Math.min(PANEL, n - p * PANEL);
            for (int kk = 0; kk < k; kk++) {
                int to = (p * k + kk) * PANEL;
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
        int panels = n / PANEL;
        int tiled = rows - rows % TILE_ROWS;
        for (int block = 0; block < tiled; block += BLOCK_ROWS) {
            int blockEnd = Math.min(tiled, block + BLOCK_ROWS);
            for (int p = 0; p < panels; p++) {
                for (int row = block; row < blockEnd; row += TILE_ROWS) {
                    tile6x4(a, k, row, packed, p * k * PANEL, k, c, n, row * n + p * PANEL);
                }
            }
        }
        // four or two of the rows left in smaller tiles: a batch of 64 leaves four, which
        // the one-row kernels took at a third of the tile's speed (a sixth of the time)
        int row = tiled;
        for (; row + 4 <= rows; row += 4) {
            for (int p = 0; p < panels; p++) tile4x4(a, k, row, packed, p * k * PANEL, k, c, n, row * n + p * PANEL);
        }
        for (; row + 2 <= rows; row += 2) {
            for (int p = 0; p < panels; p++) tile2x4(a, k, row, packed, p * k * PANEL, k, c, n, row * n + p * PANEL);
        }
        if (row < rows && rows == 1 && panels >= 2 && (long) k * n >= Helper.SPLIT_MACS && Helper.tryClaim()) {
            // one sample: the upper half of the panels on the helper's core
            int mid = panels / 2;
            ROW_HALF.set(a, packed, c, k, n, mid, panels);
            Helper.post(ROW_HALF);
            panelsOfRow(a, 0, packed, c, k, n, 0, mid);
            Helper.join();
        } else {
            for (; row < rows; row++) panelsOfRow(a, row, packed, c, k, n, 0, panels);
        }
        if (panels * PANEL < n) narrowPanel(a, packed, c, rows, k, n, panels * k * PANEL, panels * PANEL);
    }

    /**
     * One row's columns of the panels from {@code from} to {@code to}: two or four panels at
     * a time, so that eight or sixteen chains of FMAs are in flight rather than four.
     */
    private static void panelsOfRow(float[] a, int row, float[] packed, float[] c, int k, int n, int from, int to) {
        int p = from;
        for (; p + 4 <= to; p += 4) tile1x16(a, k, row, packed, p * k * PANEL, k, c, n, row * n + p * PANEL);
        for (; p + 2 <= to; p += 2) tile1x8(a, k, row, packed, p * k * PANEL, k, c, n, row * n + p * PANEL);
        if (p < to) tile1x4(a, k, row, packed, p * k * PANEL, k, c, n, row * n + p * PANEL);
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

    /** The last panel, narrower than 64 columns: one vector at a time, the last one masked. */
    private static void narrowPanel(float[] a, float[] packed, float[] c, int rows, int k, int n, int bStart, int column) {
        for (int v = 0; column + v * 16 < n; v++) {
            VectorMask<Float> mask = S.indexInRange(column + v * 16, n);
            int b = bStart + v * 16;
            int row = 0;
            for (; row + TILE_ROWS <= rows; row += TILE_ROWS) tile6x1(a, k, row, packed, b, k, c, n, row * n + column + v * 16, mask);
            for (; row < rows; row++) tile1x1(a, k, row, packed, b, k, c, n, row * n + column + v * 16, mask);
        }
    }

    private static void tile6x4(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
        FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero;
        FloatVector c20 = zero, c21 = zero, c22 = zero, c23 = zero;
        FloatVector c30 = zero, c31 = zero, c32 = zero, c33 = zero;
        FloatVector c40 = zero, c41 = zero, c42 = zero, c43 = zero;
        FloatVector c50 = zero, c51 = zero, c52 = zero, c53 = zero;
        int a0 = (row + 0) * lda;
        int a1 = (row + 1) * lda;
        int a2 = (row + 2) * lda;
        int a3 = (row + 3) * lda;
        int a4 = (row + 4) * lda;
        int a5 = (row + 5) * lda;
        int end = bStart + k * PANEL;
        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector b1 = FloatVector.fromArray(S, b, p + 16);
            FloatVector b2 = FloatVector.fromArray(S, b, p + 32);
            FloatVector b3 = FloatVector.fromArray(S, b, p + 48);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01); c02 = x0.fma(b2, c02); c03 = x0.fma(b3, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x1.fma(b0, c10); c11 = x1.fma(b1, c11); c12 = x1.fma(b2, c12); c13 = x1.fma(b3, c13);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = x2.fma(b0, c20); c21 = x2.fma(b1, c21); c22 = x2.fma(b2, c22); c23 = x2.fma(b3, c23);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = x3.fma(b0, c30); c31 = x3.fma(b1, c31); c32 = x3.fma(b2, c32); c33 = x3.fma(b3, c33);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + kk]);
            c40 = x4.fma(b0, c40); c41 = x4.fma(b1, c41); c42 = x4.fma(b2, c42); c43 = x4.fma(b3, c43);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + kk]);
            c50 = x5.fma(b0, c50); c51 = x5.fma(b1, c51); c52 = x5.fma(b2, c52); c53 = x5.fma(b3, c53);
        }
        c00.intoArray(c, cStart); c01.intoArray(c, cStart + 16); c02.intoArray(c, cStart + 32); c03.intoArray(c, cStart + 48);
        c10.intoArray(c, cStart + 1 * ldc); c11.intoArray(c, cStart + 1 * ldc + 16); c12.intoArray(c, cStart + 1 * ldc + 32); c13.intoArray(c, cStart + 1 * ldc + 48);
        c20.intoArray(c, cStart + 2 * ldc); c21.intoArray(c, cStart + 2 * ldc + 16); c22.intoArray(c, cStart + 2 * ldc + 32); c23.intoArray(c, cStart + 2 * ldc + 48);
        c30.intoArray(c, cStart + 3 * ldc); c31.intoArray(c, cStart + 3 * ldc + 16); c32.intoArray(c, cStart + 3 * ldc + 32); c33.intoArray(c, cStart + 3 * ldc + 48);
        c40.intoArray(c, cStart + 4 * ldc); c41.intoArray(c, cStart + 4 * ldc + 16); c42.intoArray(c, cStart + 4 * ldc + 32); c43.intoArray(c, cStart + 4 * ldc + 48);
        c50.intoArray(c, cStart + 5 * ldc); c51.intoArray(c, cStart + 5 * ldc + 16); c52.intoArray(c, cStart + 5 * ldc + 32); c53.intoArray(c, cStart + 5 * ldc + 48);
    }

    private static void tile4x4(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
        FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero;
        FloatVector c20 = zero, c21 = zero, c22 = zero, c23 = zero;
        FloatVector c30 = zero, c31 = zero, c32 = zero, c33 = zero;
        int a0 = (row + 0) * lda;
        int a1 = (row + 1) * lda;
        int a2 = (row + 2) * lda;
        int a3 = (row + 3) * lda;
        int end = bStart + k * PANEL;
        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector b1 = FloatVector.fromArray(S, b, p + 16);
            FloatVector b2 = FloatVector.fromArray(S, b, p + 32);
            FloatVector b3 = FloatVector.fromArray(S, b, p + 48);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01); c02 = x0.fma(b2, c02); c03 = x0.fma(b3, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x1.fma(b0, c10); c11 = x1.fma(b1, c11); c12 = x1.fma(b2, c12); c13 = x1.fma(b3, c13);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = x2.fma(b0, c20); c21 = x2.fma(b1, c21); c22 = x2.fma(b2, c22); c23 = x2.fma(b3, c23);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = x3.fma(b0, c30); c31 = x3.fma(b1, c31); c32 = x3.fma(b2, c32); c33 = x3.fma(b3, c33);
        }
        c00.intoArray(c, cStart); c01.intoArray(c, cStart + 16); c02.intoArray(c, cStart + 32); c03.intoArray(c, cStart + 48);
        c10.intoArray(c, cStart + 1 * ldc); c11.intoArray(c, cStart + 1 * ldc + 16); c12.intoArray(c, cStart + 1 * ldc + 32); c13.intoArray(c, cStart + 1 * ldc + 48);
        c20.intoArray(c, cStart + 2 * ldc); c21.intoArray(c, cStart + 2 * ldc + 16); c22.intoArray(c, cStart + 2 * ldc + 32); c23.intoArray(c, cStart + 2 * ldc + 48);
        c30.intoArray(c, cStart + 3 * ldc); c31.intoArray(c, cStart + 3 * ldc + 16); c32.intoArray(c, cStart + 3 * ldc + 32); c33.intoArray(c, cStart + 3 * ldc + 48);
    }

    private static void tile2x4(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
        FloatVector c10 = zero, c11 = zero, c12 = zero, c13 = zero;
        int a0 = (row + 0) * lda;
        int a1 = (row + 1) * lda;
        int end = bStart + k * PANEL;
        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector b1 = FloatVector.fromArray(S, b, p + 16);
            FloatVector b2 = FloatVector.fromArray(S, b, p + 32);
            FloatVector b3 = FloatVector.fromArray(S, b, p + 48);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01); c02 = x0.fma(b2, c02); c03 = x0.fma(b3, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x1.fma(b0, c10); c11 = x1.fma(b1, c11); c12 = x1.fma(b2, c12); c13 = x1.fma(b3, c13);
        }
        c00.intoArray(c, cStart); c01.intoArray(c, cStart + 16); c02.intoArray(c, cStart + 32); c03.intoArray(c, cStart + 48);
        c10.intoArray(c, cStart + 1 * ldc); c11.intoArray(c, cStart + 1 * ldc + 16); c12.intoArray(c, cStart + 1 * ldc + 32); c13.intoArray(c, cStart + 1 * ldc + 48);
    }

    /** One row by four whole panels, each {@code k * PANEL} floats after the one before. */
    private static void tile1x16(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
        FloatVector c8 = zero, c9 = zero, c10 = zero, c11 = zero, c12 = zero, c13 = zero, c14 = zero, c15 = zero;
        int a0 = row * lda;
        int s1 = k * PANEL, s2 = 2 * s1, s3 = 3 * s1;
        int end = bStart + k * PANEL;
        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c0 = x.fma(FloatVector.fromArray(S, b, p), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, p + 16), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, p + 32), c2);
            c3 = x.fma(FloatVector.fromArray(S, b, p + 48), c3);
            c4 = x.fma(FloatVector.fromArray(S, b, p + s1), c4);
            c5 = x.fma(FloatVector.fromArray(S, b, p + s1 + 16), c5);
            c6 = x.fma(FloatVector.fromArray(S, b, p + s1 + 32), c6);
            c7 = x.fma(FloatVector.fromArray(S, b, p + s1 + 48), c7);
            c8 = x.fma(FloatVector.fromArray(S, b, p + s2), c8);
            c9 = x.fma(FloatVector.fromArray(S, b, p + s2 + 16), c9);
            c10 = x.fma(FloatVector.fromArray(S, b, p + s2 + 32), c10);
            c11 = x.fma(FloatVector.fromArray(S, b, p + s2 + 48), c11);
            c12 = x.fma(FloatVector.fromArray(S, b, p + s3), c12);
            c13 = x.fma(FloatVector.fromArray(S, b, p + s3 + 16), c13);
            c14 = x.fma(FloatVector.fromArray(S, b, p + s3 + 32), c14);
            c15 = x.fma(FloatVector.fromArray(S, b, p + s3 + 48), c15);
        }
        c0.intoArray(c, cStart); c1.intoArray(c, cStart + 16); c2.intoArray(c, cStart + 32); c3.intoArray(c, cStart + 48);
        c4.intoArray(c, cStart + 64); c5.intoArray(c, cStart + 80); c6.intoArray(c, cStart + 96); c7.intoArray(c, cStart + 112);
        c8.intoArray(c, cStart + 128); c9.intoArray(c, cStart + 144); c10.intoArray(c, cStart + 160); c11.intoArray(c, cStart + 176);
        c12.intoArray(c, cStart + 192); c13.intoArray(c, cStart + 208); c14.intoArray(c, cStart + 224); c15.intoArray(c, cStart + 240);
    }

    /** One row by two whole panels: the second panel's data starts k * PANEL floats after the first's. */
    private static void tile1x8(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
        int a0 = row * lda;
        int second = k * PANEL;
        int end = bStart + k * PANEL;
        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c0 = x.fma(FloatVector.fromArray(S, b, p), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, p + 16), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, p + 32), c2);
            c3 = x.fma(FloatVector.fromArray(S, b, p + 48), c3);
            c4 = x.fma(FloatVector.fromArray(S, b, p + second), c4);
            c5 = x.fma(FloatVector.fromArray(S, b, p + second + 16), c5);
            c6 = x.fma(FloatVector.fromArray(S, b, p + second + 32), c6);
            c7 = x.fma(FloatVector.fromArray(S, b, p + second + 48), c7);
        }
        c0.intoArray(c, cStart); c1.intoArray(c, cStart + 16); c2.intoArray(c, cStart + 32); c3.intoArray(c, cStart + 48);
        c4.intoArray(c, cStart + 64); c5.intoArray(c, cStart + 80); c6.intoArray(c, cStart + 96); c7.intoArray(c, cStart + 112);
    }

    private static void tile1x4(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero, c01 = zero, c02 = zero, c03 = zero;
        int a0 = (row + 0) * lda;
        int end = bStart + k * PANEL;
        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector b1 = FloatVector.fromArray(S, b, p + 16);
            FloatVector b2 = FloatVector.fromArray(S, b, p + 32);
            FloatVector b3 = FloatVector.fromArray(S, b, p + 48);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x0.fma(b0, c00); c01 = x0.fma(b1, c01); c02 = x0.fma(b2, c02); c03 = x0.fma(b3, c03);
        }
        c00.intoArray(c, cStart); c01.intoArray(c, cStart + 16); c02.intoArray(c, cStart + 32); c03.intoArray(c, cStart + 48);
    }

    private static void tile6x1(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart, VectorMask<Float> last) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero;
        FloatVector c10 = zero;
        FloatVector c20 = zero;
        FloatVector c30 = zero;
        FloatVector c40 = zero;
        FloatVector c50 = zero;
        int a0 = (row + 0) * lda;
        int a1 = (row + 1) * lda;
        int a2 = (row + 2) * lda;
        int a3 = (row + 3) * lda;
        int a4 = (row + 4) * lda;
        int a5 = (row + 5) * lda;
        int end = bStart + k * PANEL;
        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x0.fma(b0, c00);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = x1.fma(b0, c10);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = x2.fma(b0, c20);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = x3.fma(b0, c30);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + kk]);
            c40 = x4.fma(b0, c40);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + kk]);
            c50 = x5.fma(b0, c50);
        }
        c00.intoArray(c, cStart, last);
        c10.intoArray(c, cStart + 1 * ldc, last);
        c20.intoArray(c, cStart + 2 * ldc, last);
        c30.intoArray(c, cStart + 3 * ldc, last);
        c40.intoArray(c, cStart + 4 * ldc, last);
        c50.intoArray(c, cStart + 5 * ldc, last);
    }

    private static void tile1x1(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart, VectorMask<Float> last) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero;
        int a0 = (row + 0) * lda;
        int end = bStart + k * PANEL;
        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x0.fma(b0, c00);
        }
        c00.intoArray(c, cStart, last);
    }
}
