// Written by runtime/tools/gemm_tiles.py: edit that script, not this file.
package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link Gemm}: six rows of a broadcast against the four vectors
 * of a panel of packed weights (the kernel of a batch); four, two and one rows for the
 * rows a batch leaves past its tiles of six; one row by two or four panels at once for
 * a single sample (eight or sixteen chains of FMAs in flight); and six rows or one by
 * one vector, for a last panel narrower than 64 columns. Each element of c is the same
 * chain of FMAs over k whichever tile computes it.
 */
final class GemmTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int PANEL = Gemm.PANEL;

    private GemmTiles() {}

    /** Rows [row, row + 6) of c by 4 vector(s) of one panel. */
    static void tile6x4(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
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

    /** Rows [row, row + 4) of c by 4 vector(s) of one panel. */
    static void tile4x4(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
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

    /** Rows [row, row + 2) of c by 4 vector(s) of one panel. */
    static void tile2x4(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
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

    /** Rows [row, row + 1) of c by 4 vector(s) of one panel. */
    static void tile1x4(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
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

    /** One row of c by 2 whole panels, each {@code k * PANEL} floats after the one before. */
    static void tile1x8(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero;
        int a0 = row * lda;
        int panel = k * PANEL;
        int end = bStart + k * PANEL;
        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c0 = x.fma(FloatVector.fromArray(S, b, p), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, p + 16), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, p + 32), c2);
            c3 = x.fma(FloatVector.fromArray(S, b, p + 48), c3);
            c4 = x.fma(FloatVector.fromArray(S, b, p + panel), c4);
            c5 = x.fma(FloatVector.fromArray(S, b, p + panel + 16), c5);
            c6 = x.fma(FloatVector.fromArray(S, b, p + panel + 32), c6);
            c7 = x.fma(FloatVector.fromArray(S, b, p + panel + 48), c7);
        }
        c0.intoArray(c, cStart); c1.intoArray(c, cStart + 16); c2.intoArray(c, cStart + 32); c3.intoArray(c, cStart + 48);
        c4.intoArray(c, cStart + 64); c5.intoArray(c, cStart + 80); c6.intoArray(c, cStart + 96); c7.intoArray(c, cStart + 112);
    }

    /** One row of c by 4 whole panels, each {@code k * PANEL} floats after the one before. */
    static void tile1x16(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, c4 = zero, c5 = zero, c6 = zero, c7 = zero, c8 = zero, c9 = zero, c10 = zero, c11 = zero, c12 = zero, c13 = zero, c14 = zero, c15 = zero;
        int a0 = row * lda;
        int panel = k * PANEL;
        int end = bStart + k * PANEL;
        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c0 = x.fma(FloatVector.fromArray(S, b, p), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, p + 16), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, p + 32), c2);
            c3 = x.fma(FloatVector.fromArray(S, b, p + 48), c3);
            c4 = x.fma(FloatVector.fromArray(S, b, p + panel), c4);
            c5 = x.fma(FloatVector.fromArray(S, b, p + panel + 16), c5);
            c6 = x.fma(FloatVector.fromArray(S, b, p + panel + 32), c6);
            c7 = x.fma(FloatVector.fromArray(S, b, p + panel + 48), c7);
            c8 = x.fma(FloatVector.fromArray(S, b, p + 2 * panel), c8);
            c9 = x.fma(FloatVector.fromArray(S, b, p + 2 * panel + 16), c9);
            c10 = x.fma(FloatVector.fromArray(S, b, p + 2 * panel + 32), c10);
            c11 = x.fma(FloatVector.fromArray(S, b, p + 2 * panel + 48), c11);
            c12 = x.fma(FloatVector.fromArray(S, b, p + 3 * panel), c12);
            c13 = x.fma(FloatVector.fromArray(S, b, p + 3 * panel + 16), c13);
            c14 = x.fma(FloatVector.fromArray(S, b, p + 3 * panel + 32), c14);
            c15 = x.fma(FloatVector.fromArray(S, b, p + 3 * panel + 48), c15);
        }
        c0.intoArray(c, cStart); c1.intoArray(c, cStart + 16); c2.intoArray(c, cStart + 32); c3.intoArray(c, cStart + 48);
        c4.intoArray(c, cStart + 64); c5.intoArray(c, cStart + 80); c6.intoArray(c, cStart + 96); c7.intoArray(c, cStart + 112);
        c8.intoArray(c, cStart + 128); c9.intoArray(c, cStart + 144); c10.intoArray(c, cStart + 160); c11.intoArray(c, cStart + 176);
        c12.intoArray(c, cStart + 192); c13.intoArray(c, cStart + 208); c14.intoArray(c, cStart + 224); c15.intoArray(c, cStart + 240);
    }

    /** Rows [row, row + 6) of c by 1 vector(s) of one panel. */
    static void tile6x1(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
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
        c00.intoArray(c, cStart);
        c10.intoArray(c, cStart + 1 * ldc);
        c20.intoArray(c, cStart + 2 * ldc);
        c30.intoArray(c, cStart + 3 * ldc);
        c40.intoArray(c, cStart + 4 * ldc);
        c50.intoArray(c, cStart + 5 * ldc);
    }

    /** Rows [row, row + 1) of c by 1 vector(s) of one panel. */
    static void tile1x1(float[] a, int lda, int row, float[] b, int bStart, int k, float[] c, int ldc, int cStart) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector c00 = zero;
        int a0 = (row + 0) * lda;
        int end = bStart + k * PANEL;
        for (int p = bStart, kk = 0; p < end; p += PANEL, kk++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = x0.fma(b0, c00);
        }
        c00.intoArray(c, cStart);
    }
}
