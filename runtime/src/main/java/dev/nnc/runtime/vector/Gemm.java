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
 * (6 rows or 1, 4 vectors or 1) computes it: a row's result does not depend on the
 * rows around it, so a batch gives exactly what its rows give alone.
 *
 * <p>Needs 512-bit vectors (AVX-512); {@link #available()} says whether this JVM has them.
 */
public final class Gemm {
    /** Columns of wᵀ per panel: four vectors of 16 floats. */
    public static final int PANEL = 64;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final FloatVector ZERO = FloatVector.zero(S);
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
        for (int j = 0; j < n; j++) {
            int base = (j / PANEL) * k * PANEL + j % PANEL;
            for (int kk = 0; kk < k; kk++) packed[base + kk * PANEL] = w[j * k + kk];
        }
        return packed;
    }

    /** c[rows][n] = a[rows][k] · wᵀ, with w packed by {@link #pack}. */
    public static void multiply(float[] a, float[] packed, float[] c, int rows, int k, int n) {
        for (int p = 0; p * PANEL < n; p++) {
            int bStart = p * k * PANEL;
            int column = p * PANEL;
            if (n - column >= PANEL) {
                int row = 0;
                for (; row + TILE_ROWS <= rows; row += TILE_ROWS) tile6x4(a, k, row, packed, bStart, k, c, n, row * n + column);
                for (; row < rows; row++) tile1x4(a, k, row, packed, bStart, k, c, n, row * n + column);
            } else {
                narrowPanel(a, packed, c, rows, k, n, bStart, column);
            }
        }
    }

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
        FloatVector c00 = ZERO, c01 = ZERO, c02 = ZERO, c03 = ZERO;
        FloatVector c10 = ZERO, c11 = ZERO, c12 = ZERO, c13 = ZERO;
        FloatVector c20 = ZERO, c21 = ZERO, c22 = ZERO, c23 = ZERO;
        FloatVector c30 = ZERO, c31 = ZERO, c32 = ZERO, c33 = ZERO;
        FloatVector c40 = ZERO, c41 = ZERO, c42 = ZERO, c43 = ZERO;
        FloatVector c50 = ZERO, c51 = ZERO, c52 = ZERO, c53 = ZERO;
        int a0 = (row + 0) * lda;
        int a1 = (row + 1) * lda;
        int a2 = (row + 2) * lda;
        int a3 = (row + 3) * lda;
        int a4 = (row + 4) * lda;
        int a5 = (row + 5) * lda;
        for (int kk = 0, p = bStart; kk < k; kk++, p += PANEL) {
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

    private static void tile1x4(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
        FloatVector c00 = ZERO, c01 = ZERO, c02 = ZERO, c03 = ZERO;
        int a0 = (row + 0) * lda;
        for (int kk = 0, p = bStart; kk < k; kk++, p += PANEL) {
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
        FloatVector c00 = ZERO;
        FloatVector c10 = ZERO;
        FloatVector c20 = ZERO;
        FloatVector c30 = ZERO;
        FloatVector c40 = ZERO;
        FloatVector c50 = ZERO;
        int a0 = (row + 0) * lda;
        int a1 = (row + 1) * lda;
        int a2 = (row + 2) * lda;
        int a3 = (row + 3) * lda;
        int a4 = (row + 4) * lda;
        int a5 = (row + 5) * lda;
        for (int kk = 0, p = bStart; kk < k; kk++, p += PANEL) {
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
        FloatVector c00 = ZERO;
        int a0 = (row + 0) * lda;
        for (int kk = 0, p = bStart; kk < k; kk++, p += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x0.fma(b0, c00);
        }
        c00.intoArray(c, cStart, last);
    }
}
