// Written by runtime/tools/conv_tiles.py: edit that script, not this file.
package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-kernels of {@link Conv}: six rows by two or four vectors of 16 columns in
 * registers, one method per use (store with bias and floor, add, filter sums), so that
 * no method has a path that another caller's profile leaves cold. Written out
 * accumulator by accumulator, because C2 (JDK 17) keeps vectors in registers only in
 * plain code: a vector chosen by a condition, carried through nested loops or from one
 * loop into the next, passed to a call that is not inlined, or stored with a mask from
 * {@code indexInRange} is boxed, and the kernel runs 15 to 90 times slower.
 */
final class ConvTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;
    private static final int PANEL = Conv.PANEL;

    private ConvTiles() {}

    /**
     * Six rows times 32 (or 16: {@code remaining}) columns: row i is the sum over the
     * window (kh runs of kw * segment consecutive floats of a from a_i, runs rowStride
     * apart) of a times the rows of a panel (PANEL apart, from bStart); stored at c_i plus
     * the bias, and at least {@code floor}.
     */
    static void store2(float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int kh, int kw, int rowStride, int segment,
                       float[] b, int bStart, float[] bias, int biasAt, float floor,
                       float[] c, int c0, int c1, int c2, int c3, int c4, int c5, int remaining) {
        boolean two = remaining > L;
        int second = two ? L : 0; // one vector: read the first twice rather than past the rows
        FloatVector s00 = FloatVector.zero(S), s01 = s00;
        FloatVector s10 = s00, s11 = s00;
        FloatVector s20 = s00, s21 = s00;
        FloatVector s30 = s00, s31 = s00;
        FloatVector s40 = s00, s41 = s00;
        FloatVector s50 = s00, s51 = s00;
        int run = kw * segment;
        int jump = rowStride - run;
        int e = 0;
        int left = run;
        for (int p = bStart, end = bStart + kh * run * PANEL; p < end; p += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector b1 = FloatVector.fromArray(S, b, p + second);
            FloatVector x = FloatVector.broadcast(S, a[a0 + e]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01);
            x = FloatVector.broadcast(S, a[a1 + e]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11);
            x = FloatVector.broadcast(S, a[a2 + e]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21);
            x = FloatVector.broadcast(S, a[a3 + e]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31);
            x = FloatVector.broadcast(S, a[a4 + e]);
            s40 = x.fma(b0, s40); s41 = x.fma(b1, s41);
            x = FloatVector.broadcast(S, a[a5 + e]);
            s50 = x.fma(b0, s50); s51 = x.fma(b1, s51);
            e++;
            if (--left == 0) {
                e += jump;
                left = run;
            }
        }
        FloatVector low = FloatVector.broadcast(S, floor);
        FloatVector bias0 = FloatVector.fromArray(S, bias, biasAt);
        FloatVector bias1 = FloatVector.fromArray(S, bias, biasAt + second);
        s00.add(bias0).max(low).intoArray(c, c0);
        s10.add(bias0).max(low).intoArray(c, c1);
        s20.add(bias0).max(low).intoArray(c, c2);
        s30.add(bias0).max(low).intoArray(c, c3);
        s40.add(bias0).max(low).intoArray(c, c4);
        s50.add(bias0).max(low).intoArray(c, c5);
        if (two) {
            s01.add(bias1).max(low).intoArray(c, c0 + L);
            s11.add(bias1).max(low).intoArray(c, c1 + L);
            s21.add(bias1).max(low).intoArray(c, c2 + L);
            s31.add(bias1).max(low).intoArray(c, c3 + L);
            s41.add(bias1).max(low).intoArray(c, c4 + L);
            s51.add(bias1).max(low).intoArray(c, c5 + L);
        }
    }

    /** {@link #store2} over four vectors (64 columns): 24 accumulators, as {@link Gemm}'s micro-kernel. */
    static void store4(float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int kh, int kw, int rowStride, int segment,
                       float[] b, int bStart, float[] bias, int biasAt, float floor,
                       float[] c, int c0, int c1, int c2, int c3, int c4, int c5) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        FloatVector s40 = s00, s41 = s00, s42 = s00, s43 = s00;
        FloatVector s50 = s00, s51 = s00, s52 = s00, s53 = s00;
        int run = kw * segment;
        int jump = rowStride - run;
        int e = 0;
        int left = run;
        for (int p = bStart, end = bStart + kh * run * PANEL; p < end; p += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector b1 = FloatVector.fromArray(S, b, p + L);
            FloatVector b2 = FloatVector.fromArray(S, b, p + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, p + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + e]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01); s02 = x.fma(b2, s02); s03 = x.fma(b3, s03);
            x = FloatVector.broadcast(S, a[a1 + e]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11); s12 = x.fma(b2, s12); s13 = x.fma(b3, s13);
            x = FloatVector.broadcast(S, a[a2 + e]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21); s22 = x.fma(b2, s22); s23 = x.fma(b3, s23);
            x = FloatVector.broadcast(S, a[a3 + e]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31); s32 = x.fma(b2, s32); s33 = x.fma(b3, s33);
            x = FloatVector.broadcast(S, a[a4 + e]);
            s40 = x.fma(b0, s40); s41 = x.fma(b1, s41); s42 = x.fma(b2, s42); s43 = x.fma(b3, s43);
            x = FloatVector.broadcast(S, a[a5 + e]);
            s50 = x.fma(b0, s50); s51 = x.fma(b1, s51); s52 = x.fma(b2, s52); s53 = x.fma(b3, s53);
            e++;
            if (--left == 0) {
                e += jump;
                left = run;
            }
        }
        FloatVector low = FloatVector.broadcast(S, floor);
        FloatVector bias0 = FloatVector.fromArray(S, bias, biasAt);
        FloatVector bias1 = FloatVector.fromArray(S, bias, biasAt + L);
        FloatVector bias2 = FloatVector.fromArray(S, bias, biasAt + 2 * L);
        FloatVector bias3 = FloatVector.fromArray(S, bias, biasAt + 3 * L);
        s00.add(bias0).max(low).intoArray(c, c0);
        s10.add(bias0).max(low).intoArray(c, c1);
        s20.add(bias0).max(low).intoArray(c, c2);
        s30.add(bias0).max(low).intoArray(c, c3);
        s40.add(bias0).max(low).intoArray(c, c4);
        s50.add(bias0).max(low).intoArray(c, c5);
        s01.add(bias1).max(low).intoArray(c, c0 + L);
        s11.add(bias1).max(low).intoArray(c, c1 + L);
        s21.add(bias1).max(low).intoArray(c, c2 + L);
        s31.add(bias1).max(low).intoArray(c, c3 + L);
        s41.add(bias1).max(low).intoArray(c, c4 + L);
        s51.add(bias1).max(low).intoArray(c, c5 + L);
        s02.add(bias2).max(low).intoArray(c, c0 + 2 * L);
        s12.add(bias2).max(low).intoArray(c, c1 + 2 * L);
        s22.add(bias2).max(low).intoArray(c, c2 + 2 * L);
        s32.add(bias2).max(low).intoArray(c, c3 + 2 * L);
        s42.add(bias2).max(low).intoArray(c, c4 + 2 * L);
        s52.add(bias2).max(low).intoArray(c, c5 + 2 * L);
        s03.add(bias3).max(low).intoArray(c, c0 + 3 * L);
        s13.add(bias3).max(low).intoArray(c, c1 + 3 * L);
        s23.add(bias3).max(low).intoArray(c, c2 + 3 * L);
        s33.add(bias3).max(low).intoArray(c, c3 + 3 * L);
        s43.add(bias3).max(low).intoArray(c, c4 + 3 * L);
        s53.add(bias3).max(low).intoArray(c, c5 + 3 * L);
    }

    /**
     * Six rows times 32 (or 16: {@code remaining}) columns, over one row of the window:
     * row i is what is at init_i plus the product of {@code run} consecutive floats of a
     * from a_i by as many rows of a panel (PANEL apart, from bStart); stored at c_i, at
     * least {@code floor}. A loop that C2 counts (a constant stride, indices that grow with
     * it): it keeps the accumulators in registers and checks no bounds inside.
     */
    static void run2(float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int run, float[] b, int bStart,
                     float[] init, int i0, int i1, int i2, int i3, int i4, int i5, float floor,
                     float[] c, int c0, int c1, int c2, int c3, int c4, int c5, int remaining) {
        boolean two = remaining > L;
        int second = two ? L : 0;
        FloatVector s00 = FloatVector.fromArray(S, init, i0);
        FloatVector s10 = FloatVector.fromArray(S, init, i1);
        FloatVector s20 = FloatVector.fromArray(S, init, i2);
        FloatVector s30 = FloatVector.fromArray(S, init, i3);
        FloatVector s40 = FloatVector.fromArray(S, init, i4);
        FloatVector s50 = FloatVector.fromArray(S, init, i5);
        FloatVector s01 = FloatVector.fromArray(S, init, i0 + second);
        FloatVector s11 = FloatVector.fromArray(S, init, i1 + second);
        FloatVector s21 = FloatVector.fromArray(S, init, i2 + second);
        FloatVector s31 = FloatVector.fromArray(S, init, i3 + second);
        FloatVector s41 = FloatVector.fromArray(S, init, i4 + second);
        FloatVector s51 = FloatVector.fromArray(S, init, i5 + second);
        for (int p = bStart, end = bStart + run * PANEL, e = 0; p < end; p += PANEL, e++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector b1 = FloatVector.fromArray(S, b, p + second);
            FloatVector x = FloatVector.broadcast(S, a[a0 + e]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01);
            x = FloatVector.broadcast(S, a[a1 + e]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11);
            x = FloatVector.broadcast(S, a[a2 + e]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21);
            x = FloatVector.broadcast(S, a[a3 + e]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31);
            x = FloatVector.broadcast(S, a[a4 + e]);
            s40 = x.fma(b0, s40); s41 = x.fma(b1, s41);
            x = FloatVector.broadcast(S, a[a5 + e]);
            s50 = x.fma(b0, s50); s51 = x.fma(b1, s51);
        }
        FloatVector low = FloatVector.broadcast(S, floor);
        s00.max(low).intoArray(c, c0);
        s10.max(low).intoArray(c, c1);
        s20.max(low).intoArray(c, c2);
        s30.max(low).intoArray(c, c3);
        s40.max(low).intoArray(c, c4);
        s50.max(low).intoArray(c, c5);
        if (two) {
            s01.max(low).intoArray(c, c0 + L);
            s11.max(low).intoArray(c, c1 + L);
            s21.max(low).intoArray(c, c2 + L);
            s31.max(low).intoArray(c, c3 + L);
            s41.max(low).intoArray(c, c4 + L);
            s51.max(low).intoArray(c, c5 + L);
        }
    }

    /** {@link #run2} over four vectors (64 columns). */
    static void run4(float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int run, float[] b, int bStart,
                     float[] init, int i0, int i1, int i2, int i3, int i4, int i5, float floor,
                     float[] c, int c0, int c1, int c2, int c3, int c4, int c5) {
        FloatVector s00 = FloatVector.fromArray(S, init, i0);
        FloatVector s10 = FloatVector.fromArray(S, init, i1);
        FloatVector s20 = FloatVector.fromArray(S, init, i2);
        FloatVector s30 = FloatVector.fromArray(S, init, i3);
        FloatVector s40 = FloatVector.fromArray(S, init, i4);
        FloatVector s50 = FloatVector.fromArray(S, init, i5);
        FloatVector s01 = FloatVector.fromArray(S, init, i0 + L);
        FloatVector s11 = FloatVector.fromArray(S, init, i1 + L);
        FloatVector s21 = FloatVector.fromArray(S, init, i2 + L);
        FloatVector s31 = FloatVector.fromArray(S, init, i3 + L);
        FloatVector s41 = FloatVector.fromArray(S, init, i4 + L);
        FloatVector s51 = FloatVector.fromArray(S, init, i5 + L);
        FloatVector s02 = FloatVector.fromArray(S, init, i0 + 2 * L);
        FloatVector s12 = FloatVector.fromArray(S, init, i1 + 2 * L);
        FloatVector s22 = FloatVector.fromArray(S, init, i2 + 2 * L);
        FloatVector s32 = FloatVector.fromArray(S, init, i3 + 2 * L);
        FloatVector s42 = FloatVector.fromArray(S, init, i4 + 2 * L);
        FloatVector s52 = FloatVector.fromArray(S, init, i5 + 2 * L);
        FloatVector s03 = FloatVector.fromArray(S, init, i0 + 3 * L);
        FloatVector s13 = FloatVector.fromArray(S, init, i1 + 3 * L);
        FloatVector s23 = FloatVector.fromArray(S, init, i2 + 3 * L);
        FloatVector s33 = FloatVector.fromArray(S, init, i3 + 3 * L);
        FloatVector s43 = FloatVector.fromArray(S, init, i4 + 3 * L);
        FloatVector s53 = FloatVector.fromArray(S, init, i5 + 3 * L);
        for (int p = bStart, end = bStart + run * PANEL, e = 0; p < end; p += PANEL, e++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector b1 = FloatVector.fromArray(S, b, p + L);
            FloatVector b2 = FloatVector.fromArray(S, b, p + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, p + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + e]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01); s02 = x.fma(b2, s02); s03 = x.fma(b3, s03);
            x = FloatVector.broadcast(S, a[a1 + e]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11); s12 = x.fma(b2, s12); s13 = x.fma(b3, s13);
            x = FloatVector.broadcast(S, a[a2 + e]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21); s22 = x.fma(b2, s22); s23 = x.fma(b3, s23);
            x = FloatVector.broadcast(S, a[a3 + e]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31); s32 = x.fma(b2, s32); s33 = x.fma(b3, s33);
            x = FloatVector.broadcast(S, a[a4 + e]);
            s40 = x.fma(b0, s40); s41 = x.fma(b1, s41); s42 = x.fma(b2, s42); s43 = x.fma(b3, s43);
            x = FloatVector.broadcast(S, a[a5 + e]);
            s50 = x.fma(b0, s50); s51 = x.fma(b1, s51); s52 = x.fma(b2, s52); s53 = x.fma(b3, s53);
        }
        FloatVector low = FloatVector.broadcast(S, floor);
        s00.max(low).intoArray(c, c0);
        s10.max(low).intoArray(c, c1);
        s20.max(low).intoArray(c, c2);
        s30.max(low).intoArray(c, c3);
        s40.max(low).intoArray(c, c4);
        s50.max(low).intoArray(c, c5);
        s01.max(low).intoArray(c, c0 + L);
        s11.max(low).intoArray(c, c1 + L);
        s21.max(low).intoArray(c, c2 + L);
        s31.max(low).intoArray(c, c3 + L);
        s41.max(low).intoArray(c, c4 + L);
        s51.max(low).intoArray(c, c5 + L);
        s02.max(low).intoArray(c, c0 + 2 * L);
        s12.max(low).intoArray(c, c1 + 2 * L);
        s22.max(low).intoArray(c, c2 + 2 * L);
        s32.max(low).intoArray(c, c3 + 2 * L);
        s42.max(low).intoArray(c, c4 + 2 * L);
        s52.max(low).intoArray(c, c5 + 2 * L);
        s03.max(low).intoArray(c, c0 + 3 * L);
        s13.max(low).intoArray(c, c1 + 3 * L);
        s23.max(low).intoArray(c, c2 + 3 * L);
        s33.max(low).intoArray(c, c3 + 3 * L);
        s43.max(low).intoArray(c, c4 + 3 * L);
        s53.max(low).intoArray(c, c5 + 3 * L);
    }

    /**
     * Six rows times 32 (or 16: {@code remaining}) columns: row i is the product of
     * {@code k} consecutive floats of a from a_i by the rows of a panel (PANEL apart, from
     * bStart), added to what is at c_i.
     */
    static void add2(float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int k, float[] b, int bStart,
                     float[] c, int c0, int c1, int c2, int c3, int c4, int c5, int remaining) {
        boolean two = remaining > L;
        int second = two ? L : 0;
        FloatVector s00 = FloatVector.zero(S), s01 = s00;
        FloatVector s10 = s00, s11 = s00;
        FloatVector s20 = s00, s21 = s00;
        FloatVector s30 = s00, s31 = s00;
        FloatVector s40 = s00, s41 = s00;
        FloatVector s50 = s00, s51 = s00;
        for (int p = bStart, end = bStart + k * PANEL, e = 0; p < end; p += PANEL, e++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector b1 = FloatVector.fromArray(S, b, p + second);
            FloatVector x = FloatVector.broadcast(S, a[a0 + e]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01);
            x = FloatVector.broadcast(S, a[a1 + e]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11);
            x = FloatVector.broadcast(S, a[a2 + e]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21);
            x = FloatVector.broadcast(S, a[a3 + e]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31);
            x = FloatVector.broadcast(S, a[a4 + e]);
            s40 = x.fma(b0, s40); s41 = x.fma(b1, s41);
            x = FloatVector.broadcast(S, a[a5 + e]);
            s50 = x.fma(b0, s50); s51 = x.fma(b1, s51);
        }
        s00.add(FloatVector.fromArray(S, c, c0)).intoArray(c, c0);
        s10.add(FloatVector.fromArray(S, c, c1)).intoArray(c, c1);
        s20.add(FloatVector.fromArray(S, c, c2)).intoArray(c, c2);
        s30.add(FloatVector.fromArray(S, c, c3)).intoArray(c, c3);
        s40.add(FloatVector.fromArray(S, c, c4)).intoArray(c, c4);
        s50.add(FloatVector.fromArray(S, c, c5)).intoArray(c, c5);
        if (two) {
            s01.add(FloatVector.fromArray(S, c, c0 + L)).intoArray(c, c0 + L);
            s11.add(FloatVector.fromArray(S, c, c1 + L)).intoArray(c, c1 + L);
            s21.add(FloatVector.fromArray(S, c, c2 + L)).intoArray(c, c2 + L);
            s31.add(FloatVector.fromArray(S, c, c3 + L)).intoArray(c, c3 + L);
            s41.add(FloatVector.fromArray(S, c, c4 + L)).intoArray(c, c4 + L);
            s51.add(FloatVector.fromArray(S, c, c5 + L)).intoArray(c, c5 + L);
        }
    }

    /** {@link #add2} over four vectors (64 columns). */
    static void add4(float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int k, float[] b, int bStart,
                     float[] c, int c0, int c1, int c2, int c3, int c4, int c5) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        FloatVector s40 = s00, s41 = s00, s42 = s00, s43 = s00;
        FloatVector s50 = s00, s51 = s00, s52 = s00, s53 = s00;
        for (int p = bStart, end = bStart + k * PANEL, e = 0; p < end; p += PANEL, e++) {
            FloatVector b0 = FloatVector.fromArray(S, b, p);
            FloatVector b1 = FloatVector.fromArray(S, b, p + L);
            FloatVector b2 = FloatVector.fromArray(S, b, p + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, p + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + e]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01); s02 = x.fma(b2, s02); s03 = x.fma(b3, s03);
            x = FloatVector.broadcast(S, a[a1 + e]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11); s12 = x.fma(b2, s12); s13 = x.fma(b3, s13);
            x = FloatVector.broadcast(S, a[a2 + e]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21); s22 = x.fma(b2, s22); s23 = x.fma(b3, s23);
            x = FloatVector.broadcast(S, a[a3 + e]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31); s32 = x.fma(b2, s32); s33 = x.fma(b3, s33);
            x = FloatVector.broadcast(S, a[a4 + e]);
            s40 = x.fma(b0, s40); s41 = x.fma(b1, s41); s42 = x.fma(b2, s42); s43 = x.fma(b3, s43);
            x = FloatVector.broadcast(S, a[a5 + e]);
            s50 = x.fma(b0, s50); s51 = x.fma(b1, s51); s52 = x.fma(b2, s52); s53 = x.fma(b3, s53);
        }
        s00.add(FloatVector.fromArray(S, c, c0)).intoArray(c, c0);
        s10.add(FloatVector.fromArray(S, c, c1)).intoArray(c, c1);
        s20.add(FloatVector.fromArray(S, c, c2)).intoArray(c, c2);
        s30.add(FloatVector.fromArray(S, c, c3)).intoArray(c, c3);
        s40.add(FloatVector.fromArray(S, c, c4)).intoArray(c, c4);
        s50.add(FloatVector.fromArray(S, c, c5)).intoArray(c, c5);
        s01.add(FloatVector.fromArray(S, c, c0 + L)).intoArray(c, c0 + L);
        s11.add(FloatVector.fromArray(S, c, c1 + L)).intoArray(c, c1 + L);
        s21.add(FloatVector.fromArray(S, c, c2 + L)).intoArray(c, c2 + L);
        s31.add(FloatVector.fromArray(S, c, c3 + L)).intoArray(c, c3 + L);
        s41.add(FloatVector.fromArray(S, c, c4 + L)).intoArray(c, c4 + L);
        s51.add(FloatVector.fromArray(S, c, c5 + L)).intoArray(c, c5 + L);
        s02.add(FloatVector.fromArray(S, c, c0 + 2 * L)).intoArray(c, c0 + 2 * L);
        s12.add(FloatVector.fromArray(S, c, c1 + 2 * L)).intoArray(c, c1 + 2 * L);
        s22.add(FloatVector.fromArray(S, c, c2 + 2 * L)).intoArray(c, c2 + 2 * L);
        s32.add(FloatVector.fromArray(S, c, c3 + 2 * L)).intoArray(c, c3 + 2 * L);
        s42.add(FloatVector.fromArray(S, c, c4 + 2 * L)).intoArray(c, c4 + 2 * L);
        s52.add(FloatVector.fromArray(S, c, c5 + 2 * L)).intoArray(c, c5 + 2 * L);
        s03.add(FloatVector.fromArray(S, c, c0 + 3 * L)).intoArray(c, c0 + 3 * L);
        s13.add(FloatVector.fromArray(S, c, c1 + 3 * L)).intoArray(c, c1 + 3 * L);
        s23.add(FloatVector.fromArray(S, c, c2 + 3 * L)).intoArray(c, c2 + 3 * L);
        s33.add(FloatVector.fromArray(S, c, c3 + 3 * L)).intoArray(c, c3 + 3 * L);
        s43.add(FloatVector.fromArray(S, c, c4 + 3 * L)).intoArray(c, c4 + 3 * L);
        s53.add(FloatVector.fromArray(S, c, c5 + 3 * L)).intoArray(c, c5 + 3 * L);
    }

    /**
     * Six filter elements (window offsets o_i) times 32 (or 16) filters from fo, summed
     * over {@code count} pixels from pixel q0 and added to the sums at c_i: the filter
     * gradient, a block of pixels at a time. One loop over the pixels: base is the window
     * of pixel q, moved a stride along the row, down a row, or on to the next image.
     */
    static void sums2(float[] a, int imageSize, int lineSize, int channels, int o0, int o1, int o2, int o3, int o4, int o5,
                      int q0, int count, int oh, int ow, int stride, float[] dy, int f, int fo, float[] out,
                      int c0, int c1, int c2, int c3, int c4, int c5) {
        boolean two = f - fo > L;
        int second = two ? L : 0;
        FloatVector s00 = FloatVector.fromArray(S, out, c0);
        FloatVector s10 = FloatVector.fromArray(S, out, c1);
        FloatVector s20 = FloatVector.fromArray(S, out, c2);
        FloatVector s30 = FloatVector.fromArray(S, out, c3);
        FloatVector s40 = FloatVector.fromArray(S, out, c4);
        FloatVector s50 = FloatVector.fromArray(S, out, c5);
        FloatVector s01 = FloatVector.fromArray(S, out, c0 + second);
        FloatVector s11 = FloatVector.fromArray(S, out, c1 + second);
        FloatVector s21 = FloatVector.fromArray(S, out, c2 + second);
        FloatVector s31 = FloatVector.fromArray(S, out, c3 + second);
        FloatVector s41 = FloatVector.fromArray(S, out, c4 + second);
        FloatVector s51 = FloatVector.fromArray(S, out, c5 + second);
        int step = stride * channels;
        int down = stride * lineSize;
        int image = q0 / (oh * ow) * imageSize;
        int oy = q0 / ow % oh;
        int ox = q0 % ow;
        int line = image + oy * down;
        int base = line + ox * step;
        int leftX = ow - ox;
        int leftY = oh - oy;
        for (int q = 0, d = q0 * f + fo; q < count; q++, d += f) {
            FloatVector b0 = FloatVector.fromArray(S, dy, d);
            FloatVector b1 = FloatVector.fromArray(S, dy, d + second);
            FloatVector x = FloatVector.broadcast(S, a[base + o0]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01);
            x = FloatVector.broadcast(S, a[base + o1]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11);
            x = FloatVector.broadcast(S, a[base + o2]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21);
            x = FloatVector.broadcast(S, a[base + o3]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31);
            x = FloatVector.broadcast(S, a[base + o4]);
            s40 = x.fma(b0, s40); s41 = x.fma(b1, s41);
            x = FloatVector.broadcast(S, a[base + o5]);
            s50 = x.fma(b0, s50); s51 = x.fma(b1, s51);
            base += step;
            if (--leftX == 0) {
                leftX = ow;
                line += down;
                if (--leftY == 0) {
                    leftY = oh;
                    image += imageSize;
                    line = image;
                }
                base = line;
            }
        }
        s00.intoArray(out, c0);
        s10.intoArray(out, c1);
        s20.intoArray(out, c2);
        s30.intoArray(out, c3);
        s40.intoArray(out, c4);
        s50.intoArray(out, c5);
        if (two) {
            s01.intoArray(out, c0 + L);
            s11.intoArray(out, c1 + L);
            s21.intoArray(out, c2 + L);
            s31.intoArray(out, c3 + L);
            s41.intoArray(out, c4 + L);
            s51.intoArray(out, c5 + L);
        }
    }

    /** {@link #sums2} over four vectors (64 filters): each pixel's 64 gradients are read once for six filter elements. */
    static void sums4(float[] a, int imageSize, int lineSize, int channels, int o0, int o1, int o2, int o3, int o4, int o5,
                      int q0, int count, int oh, int ow, int stride, float[] dy, int f, int fo, float[] out,
                      int c0, int c1, int c2, int c3, int c4, int c5) {
        FloatVector s00 = FloatVector.fromArray(S, out, c0);
        FloatVector s10 = FloatVector.fromArray(S, out, c1);
        FloatVector s20 = FloatVector.fromArray(S, out, c2);
        FloatVector s30 = FloatVector.fromArray(S, out, c3);
        FloatVector s40 = FloatVector.fromArray(S, out, c4);
        FloatVector s50 = FloatVector.fromArray(S, out, c5);
        FloatVector s01 = FloatVector.fromArray(S, out, c0 + L);
        FloatVector s11 = FloatVector.fromArray(S, out, c1 + L);
        FloatVector s21 = FloatVector.fromArray(S, out, c2 + L);
        FloatVector s31 = FloatVector.fromArray(S, out, c3 + L);
        FloatVector s41 = FloatVector.fromArray(S, out, c4 + L);
        FloatVector s51 = FloatVector.fromArray(S, out, c5 + L);
        FloatVector s02 = FloatVector.fromArray(S, out, c0 + 2 * L);
        FloatVector s12 = FloatVector.fromArray(S, out, c1 + 2 * L);
        FloatVector s22 = FloatVector.fromArray(S, out, c2 + 2 * L);
        FloatVector s32 = FloatVector.fromArray(S, out, c3 + 2 * L);
        FloatVector s42 = FloatVector.fromArray(S, out, c4 + 2 * L);
        FloatVector s52 = FloatVector.fromArray(S, out, c5 + 2 * L);
        FloatVector s03 = FloatVector.fromArray(S, out, c0 + 3 * L);
        FloatVector s13 = FloatVector.fromArray(S, out, c1 + 3 * L);
        FloatVector s23 = FloatVector.fromArray(S, out, c2 + 3 * L);
        FloatVector s33 = FloatVector.fromArray(S, out, c3 + 3 * L);
        FloatVector s43 = FloatVector.fromArray(S, out, c4 + 3 * L);
        FloatVector s53 = FloatVector.fromArray(S, out, c5 + 3 * L);
        int step = stride * channels;
        int down = stride * lineSize;
        int image = q0 / (oh * ow) * imageSize;
        int oy = q0 / ow % oh;
        int ox = q0 % ow;
        int line = image + oy * down;
        int base = line + ox * step;
        int leftX = ow - ox;
        int leftY = oh - oy;
        for (int q = 0, d = q0 * f + fo; q < count; q++, d += f) {
            FloatVector b0 = FloatVector.fromArray(S, dy, d);
            FloatVector b1 = FloatVector.fromArray(S, dy, d + L);
            FloatVector b2 = FloatVector.fromArray(S, dy, d + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, dy, d + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[base + o0]);
            s00 = x.fma(b0, s00); s01 = x.fma(b1, s01); s02 = x.fma(b2, s02); s03 = x.fma(b3, s03);
            x = FloatVector.broadcast(S, a[base + o1]);
            s10 = x.fma(b0, s10); s11 = x.fma(b1, s11); s12 = x.fma(b2, s12); s13 = x.fma(b3, s13);
            x = FloatVector.broadcast(S, a[base + o2]);
            s20 = x.fma(b0, s20); s21 = x.fma(b1, s21); s22 = x.fma(b2, s22); s23 = x.fma(b3, s23);
            x = FloatVector.broadcast(S, a[base + o3]);
            s30 = x.fma(b0, s30); s31 = x.fma(b1, s31); s32 = x.fma(b2, s32); s33 = x.fma(b3, s33);
            x = FloatVector.broadcast(S, a[base + o4]);
            s40 = x.fma(b0, s40); s41 = x.fma(b1, s41); s42 = x.fma(b2, s42); s43 = x.fma(b3, s43);
            x = FloatVector.broadcast(S, a[base + o5]);
            s50 = x.fma(b0, s50); s51 = x.fma(b1, s51); s52 = x.fma(b2, s52); s53 = x.fma(b3, s53);
            base += step;
            if (--leftX == 0) {
                leftX = ow;
                line += down;
                if (--leftY == 0) {
                    leftY = oh;
                    image += imageSize;
                    line = image;
                }
                base = line;
            }
        }
        s00.intoArray(out, c0);
        s10.intoArray(out, c1);
        s20.intoArray(out, c2);
        s30.intoArray(out, c3);
        s40.intoArray(out, c4);
        s50.intoArray(out, c5);
        s01.intoArray(out, c0 + L);
        s11.intoArray(out, c1 + L);
        s21.intoArray(out, c2 + L);
        s31.intoArray(out, c3 + L);
        s41.intoArray(out, c4 + L);
        s51.intoArray(out, c5 + L);
        s02.intoArray(out, c0 + 2 * L);
        s12.intoArray(out, c1 + 2 * L);
        s22.intoArray(out, c2 + 2 * L);
        s32.intoArray(out, c3 + 2 * L);
        s42.intoArray(out, c4 + 2 * L);
        s52.intoArray(out, c5 + 2 * L);
        s03.intoArray(out, c0 + 3 * L);
        s13.intoArray(out, c1 + 3 * L);
        s23.intoArray(out, c2 + 3 * L);
        s33.intoArray(out, c3 + 3 * L);
        s43.intoArray(out, c4 + 3 * L);
        s53.intoArray(out, c5 + 3 * L);
    }
}
