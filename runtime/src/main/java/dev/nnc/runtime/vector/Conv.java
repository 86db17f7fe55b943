package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The convolution kernels of training and prediction, as implicit matrix products over
 * tiles: no im2col buffer, the windows are read in place. Images are rows of [height,
 * width, channels] (channels last), filters [filters, channels, kh, kw] as PyTorch
 * stores them; each call repacks the filters (a few thousand floats) so that a row of
 * 16 or 32 filters is contiguous, and works on a zero-padded copy of the images when the
 * window reaches past their edge.
 *
 * <p>The micro-kernel is the one of {@link Gemm}: six rows (output pixels, or for the
 * filter gradient six filter elements) times two vectors of 16 columns, twelve
 * accumulators, each the same chain of FMAs over its window in a fixed order, so a
 * result never depends on the rows around it or on how a batch was split.
 *
 * <p>Every method gets the window's geometry as twelve ints: rows, height, width,
 * channels, kh, kw, stride, padTop, padLeft, outHeight, outWidth, filters. The filters
 * (and for {@link #inputGradient} the channels) come in whole vectors: a multiple of 16
 * ({@link #fits}); the compiler keeps its scalar loops for the others. No masks: in JDK
 * 17 a store with a mask from {@code indexInRange} made these kernels 90 times slower.
 */
public final class Conv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;
    private static final int TILE = 6;

    private Conv() {}

    /**
     * out = x * filters + bias, or relu of that when {@code relu} is 1. {@code packed}:
     * kh*kw*c*lanes(f) floats; {@code padded} null unless the window leaves the image.
     */
    public static void forward(float[] x, float[] filters, float[] bias, float[] out, float[] packed, float[] padded,
                               int rows, int h, int w, int c, int kh, int kw, int stride, int padTop, int padLeft,
                               int oh, int ow, int f, int relu) {
        float floor = relu == 1 ? 0f : Float.NEGATIVE_INFINITY;
        int fp = lanes(f);
        for (int fo = 0; fo < fp; fo++) {
            for (int ci = 0; ci < c; ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        packed[((ky * kw + kx) * c + ci) * fp + fo] = fo < f ? filters[((fo * c + ci) * kh + ky) * kw + kx] : 0;
                    }
                }
            }
        }
        int sh = padded == null ? h : Images.paddedHeight(h, kh, stride, padTop, oh);
        int sw = padded == null ? w : Images.paddedWidth(w, kw, stride, padLeft, ow);
        float[] src = padded == null ? x : padded;
        if (padded != null) Images.pad(x, padded, rows, h, w, c, sh, sw, padTop, padLeft);
        int pixels = rows * oh * ow;
        int rowStride = sw * c;
        for (int q = 0; q < pixels; q += TILE) {
            // the last tile moves back over pixels already done: it writes them again, the same values
            int q0 = Math.max(0, Math.min(q, pixels - TILE));
            int a0 = Images.window(q0, sh, sw, c, stride, oh, ow);
            int a1 = Images.window(at(q0 + 1, pixels), sh, sw, c, stride, oh, ow);
            int a2 = Images.window(at(q0 + 2, pixels), sh, sw, c, stride, oh, ow);
            int a3 = Images.window(at(q0 + 3, pixels), sh, sw, c, stride, oh, ow);
            int a4 = Images.window(at(q0 + 4, pixels), sh, sw, c, stride, oh, ow);
            int a5 = Images.window(at(q0 + 5, pixels), sh, sw, c, stride, oh, ow);
            for (int fo = 0; fo < f; fo += 2 * L) {
                tile(src, a0, a1, a2, a3, a4, a5, kh, kw, rowStride, c, packed, fo, fp, bias, fo, floor,
                        out, q0 * f + fo, at(q0 + 1, pixels) * f + fo, at(q0 + 2, pixels) * f + fo,
                        at(q0 + 3, pixels) * f + fo, at(q0 + 4, pixels) * f + fo, at(q0 + 5, pixels) * f + fo, f - fo, false);
            }
        }
    }

    /**
     * dx from dy: each output pixel's gradient times the filters, added into its window.
     * {@code packed}: kh*kw*f*lanes(c) floats; {@code work}: rows of the padded image plus
     * lanes(c) floats where the tiles past the last pixel write.
     */
    public static void inputGradient(float[] dy, float[] filters, float[] dx, float[] packed, float[] work,
                                     int rows, int h, int w, int c, int kh, int kw, int stride, int padTop, int padLeft,
                                     int oh, int ow, int f) {
        int cp = lanes(c);
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                for (int fo = 0; fo < f; fo++) {
                    for (int ci = 0; ci < cp; ci++) {
                        packed[((ky * kw + kx) * f + fo) * cp + ci] = ci < c ? filters[((fo * c + ci) * kh + ky) * kw + kx] : 0;
                    }
                }
            }
        }
        int ph = Images.paddedHeight(h, kh, stride, padTop, oh);
        int pw = Images.paddedWidth(w, kw, stride, padLeft, ow);
        int junk = rows * ph * pw * c;
        java.util.Arrays.fill(work, 0, junk + cp, 0f);
        int pixels = rows * oh * ow;
        for (int q = 0; q < pixels; q += TILE) {
            int c0 = Images.window(q, ph, pw, c, stride, oh, ow);
            int c1 = q + 1 < pixels ? Images.window(q + 1, ph, pw, c, stride, oh, ow) : -1;
            int c2 = q + 2 < pixels ? Images.window(q + 2, ph, pw, c, stride, oh, ow) : -1;
            int c3 = q + 3 < pixels ? Images.window(q + 3, ph, pw, c, stride, oh, ow) : -1;
            int c4 = q + 4 < pixels ? Images.window(q + 4, ph, pw, c, stride, oh, ow) : -1;
            int c5 = q + 5 < pixels ? Images.window(q + 5, ph, pw, c, stride, oh, ow) : -1;
            // a tile past the last pixel repeats it, and writes those rows to the junk floats
            int last = pixels - 1;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    int off = (ky * pw + kx) * c;
                    for (int ci = 0; ci < c; ci += 2 * L) {
                        tile(dy, q * f, Math.min(q + 1, last) * f, Math.min(q + 2, last) * f, Math.min(q + 3, last) * f,
                                Math.min(q + 4, last) * f, Math.min(q + 5, last) * f, 1, 1, 0, f,
                                packed, (ky * kw + kx) * f * cp + ci, cp, null, 0, 0f,
                                work, c0 + off + ci, place(c1, off, junk) + ci, place(c2, off, junk) + ci,
                                place(c3, off, junk) + ci, place(c4, off, junk) + ci, place(c5, off, junk) + ci, c - ci, true);
                    }
                }
            }
        }
        Images.crop(work, dx, rows, h, w, c, ph, pw, padTop, padLeft);
    }

    /** dfilters from x and dy, summed over every row and pixel. {@code sums}: kh*kw*c*lanes(f) floats. */
    public static void weightGradient(float[] x, float[] dy, float[] dw, float[] sums, float[] padded,
                                      int rows, int h, int w, int c, int kh, int kw, int stride, int padTop, int padLeft,
                                      int oh, int ow, int f) {
        int fp = lanes(f);
        int sh = padded == null ? h : Images.paddedHeight(h, kh, stride, padTop, oh);
        int sw = padded == null ? w : Images.paddedWidth(w, kw, stride, padLeft, ow);
        float[] src = padded == null ? x : padded;
        if (padded != null) Images.pad(x, padded, rows, h, w, c, sh, sw, padTop, padLeft);
        int k = kh * kw * c;
        for (int t = 0; t < k; t += TILE) {
            // as in forward, the last tile moves back and computes some elements twice, identically
            int k0 = Math.max(0, Math.min(t, k - TILE));
            int o0 = Images.offset(k0, sw, kw, c), o1 = Images.offset(at(k0 + 1, k), sw, kw, c);
            int o2 = Images.offset(at(k0 + 2, k), sw, kw, c), o3 = Images.offset(at(k0 + 3, k), sw, kw, c);
            int o4 = Images.offset(at(k0 + 4, k), sw, kw, c), o5 = Images.offset(at(k0 + 5, k), sw, kw, c);
            for (int fo = 0; fo < f; fo += 2 * L) {
                sums(src, sh * sw * c, sw * c, c, o0, o1, o2, o3, o4, o5, rows, oh, ow, stride, dy, f, fo, sums, fp,
                        k0 * fp + fo, at(k0 + 1, k) * fp + fo, at(k0 + 2, k) * fp + fo, at(k0 + 3, k) * fp + fo,
                        at(k0 + 4, k) * fp + fo, at(k0 + 5, k) * fp + fo);
            }
        }
        for (int fo = 0; fo < f; fo++) {
            for (int ci = 0; ci < c; ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        dw[((fo * c + ci) * kh + ky) * kw + kx] = sums[((ky * kw + kx) * c + ci) * fp + fo];
                    }
                }
            }
        }
    }

    /** db: dy ([rows * pixels][channels]) summed per channel. */
    public static void channelSum(float[] dy, float[] db, int rows, int pixels, int channels) {
        int n = rows * pixels;
        for (int ch = 0; ch < channels; ch += L) {
            FloatVector sum = FloatVector.zero(S);
            for (int q = 0, at = ch; q < n; q++, at += channels) sum = sum.add(FloatVector.fromArray(S, dy, at));
            sum.intoArray(db, ch);
        }
    }

    /** Whether these kernels take a layer with this many filters (or channels). */
    public static boolean fits(int columns) {
        return columns % L == 0;
    }

    /** Floats in a row of whole vectors covering n. */
    static int lanes(int n) {
        return (n + L - 1) / L * L;
    }

    private static int at(int index, int count) {
        return Math.min(index, count - 1);
    }

    private static int place(int base, int off, int junk) {
        return base < 0 ? junk : base + off;
    }

    /**
     * Six rows times 32 (or the remaining) columns: row i is the sum over the window (kh
     * by kw segments of {@code segment} consecutive floats of a, from a_i, segments
     * {@code rowStride} apart vertically and {@code segment} horizontally) of a times b's
     * rows ({@code bStride} apart from bStart); then added at c_i ({@code accumulate}),
     * or stored there plus the bias and at least {@code floor}.
     */
    private static void tile(float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int kh, int kw, int rowStride,
                             int segment, float[] b, int bStart, int bStride, float[] bias, int biasAt, float floor,
                             float[] c, int c0, int c1, int c2, int c3, int c4, int c5, int remaining, boolean accumulate) {
        boolean two = remaining > L;
        // no vector is chosen by a condition here: C2 (JDK 17) then boxes them all (3 GFLOP/s)
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00;
        FloatVector s30 = s00, s31 = s00, s40 = s00, s41 = s00, s50 = s00, s51 = s00;
        int second = two ? L : 0; // one vector: read the first twice rather than past the packed rows
        // one loop over the window, kh runs of kw * segment consecutive floats: nested loops
        // made C2 keep the accumulators boxed (1 GFLOP/s)
        int run = kw * segment;
        int jump = rowStride - run;
        int e = 0;
        int left = run;
        for (int p = bStart, end = bStart + kh * run * bStride; p < end; p += bStride) {
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
        // stored here, not by a helper (a vector passed to a call that is not inlined is
        // boxed), and without masks (in JDK 17 a masked store made the kernel 90 times slower)
        if (accumulate) {
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
        } else {
            // the epilogue: + bias, then max(floor): 0 for a relu, else -infinity (no change)
            FloatVector b0 = FloatVector.fromArray(S, bias, biasAt);
            FloatVector b1 = FloatVector.fromArray(S, bias, biasAt + (two ? L : 0));
            FloatVector low = FloatVector.broadcast(S, floor);
            s00.add(b0).max(low).intoArray(c, c0); s10.add(b0).max(low).intoArray(c, c1);
            s20.add(b0).max(low).intoArray(c, c2); s30.add(b0).max(low).intoArray(c, c3);
            s40.add(b0).max(low).intoArray(c, c4); s50.add(b0).max(low).intoArray(c, c5);
            if (two) {
                s01.add(b1).max(low).intoArray(c, c0 + L); s11.add(b1).max(low).intoArray(c, c1 + L);
                s21.add(b1).max(low).intoArray(c, c2 + L); s31.add(b1).max(low).intoArray(c, c3 + L);
                s41.add(b1).max(low).intoArray(c, c4 + L); s51.add(b1).max(low).intoArray(c, c5 + L);
            }
        }
    }


    /** Six filter elements (window offsets o_i) times 32 (or the remaining) filters, summed over every pixel of every row. */
    private static void sums(float[] a, int imageSize, int lineSize, int channels, int o0, int o1, int o2, int o3, int o4, int o5, int rows, int oh, int ow, int stride,
                             float[] dy, int f, int fo, float[] out, int fp, int c0, int c1, int c2, int c3, int c4, int c5) {
        int remaining = f - fo;
        boolean two = remaining > L;
        int second = two ? L : 0;
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00;
        FloatVector s30 = s00, s31 = s00, s40 = s00, s41 = s00, s50 = s00, s51 = s00;
        // one loop over the pixels (nested loops made C2 box the accumulators): base is the
        // window of pixel q, moved a stride along the row, down a row, or on to the next image
        int step = stride * channels;
        int down = stride * lineSize;
        int base = 0;
        int line = 0;
        int image = 0;
        int leftX = ow;
        int leftY = oh;
        for (int q = 0, d = fo, n = rows * oh * ow; q < n; q++, d += f) {
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
        s00.intoArray(out, c0); s10.intoArray(out, c1); s20.intoArray(out, c2);
        s30.intoArray(out, c3); s40.intoArray(out, c4); s50.intoArray(out, c5);
        if (two) {
            s01.intoArray(out, c0 + L); s11.intoArray(out, c1 + L); s21.intoArray(out, c2 + L);
            s31.intoArray(out, c3 + L); s41.intoArray(out, c4 + L); s51.intoArray(out, c5 + L);
        }
    }
}
