package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
 * channels, kh, kw, stride, padTop, padLeft, outHeight, outWidth, filters.
 */
public final class Conv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;
    private static final int TILE = 6;

    private Conv() {}

    /** out = x * filters + bias (bias may be null). {@code packed}: kh*kw*c*lanes(f) floats; {@code padded} null unless the window leaves the image. */
    public static void forward(float[] x, float[] filters, float[] bias, float[] out, float[] packed, float[] padded,
                               int rows, int h, int w, int c, int kh, int kw, int stride, int padTop, int padLeft,
                               int oh, int ow, int f) {
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
        Image src = Image.of(x, padded, rows, h, w, c, kh, kw, stride, padTop, padLeft, oh, ow);
        int pixels = rows * oh * ow;
        int rowStride = src.width * c;
        for (int q = 0; q < pixels; q += TILE) {
            // the last tile moves back over pixels already done: it writes them again, the same values
            int q0 = Math.max(0, Math.min(q, pixels - TILE));
            int a0 = src.base(q0, oh, ow, stride), a1 = src.base(at(q0 + 1, pixels), oh, ow, stride);
            int a2 = src.base(at(q0 + 2, pixels), oh, ow, stride), a3 = src.base(at(q0 + 3, pixels), oh, ow, stride);
            int a4 = src.base(at(q0 + 4, pixels), oh, ow, stride), a5 = src.base(at(q0 + 5, pixels), oh, ow, stride);
            for (int fo = 0; fo < f; fo += 2 * L) {
                tile(src.data, a0, a1, a2, a3, a4, a5, kh, kw, rowStride, c, packed, fo, fp, bias, fo,
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
        Image image = Image.padded(work, h, w, c, kh, kw, stride, padTop, padLeft, oh, ow);
        int junk = rows * image.size;
        java.util.Arrays.fill(work, 0, junk + cp, 0f);
        int pixels = rows * oh * ow;
        for (int q = 0; q < pixels; q += TILE) {
            int c0 = image.base(q, oh, ow, stride);
            int c1 = q + 1 < pixels ? image.base(q + 1, oh, ow, stride) : -1;
            int c2 = q + 2 < pixels ? image.base(q + 2, oh, ow, stride) : -1;
            int c3 = q + 3 < pixels ? image.base(q + 3, oh, ow, stride) : -1;
            int c4 = q + 4 < pixels ? image.base(q + 4, oh, ow, stride) : -1;
            int c5 = q + 5 < pixels ? image.base(q + 5, oh, ow, stride) : -1;
            // a tile past the last pixel repeats it, and writes those rows to the junk floats
            int last = pixels - 1;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    int off = (ky * image.width + kx) * c;
                    for (int ci = 0; ci < c; ci += 2 * L) {
                        tile(dy, q * f, Math.min(q + 1, last) * f, Math.min(q + 2, last) * f, Math.min(q + 3, last) * f,
                                Math.min(q + 4, last) * f, Math.min(q + 5, last) * f, 1, 1, 0, f,
                                packed, (ky * kw + kx) * f * cp + ci, cp, null, 0,
                                work, c0 + off + ci, place(c1, off, junk) + ci, place(c2, off, junk) + ci,
                                place(c3, off, junk) + ci, place(c4, off, junk) + ci, place(c5, off, junk) + ci, c - ci, true);
                    }
                }
            }
        }
        image.crop(dx, rows, h, w);
    }

    /** dfilters from x and dy, summed over every row and pixel. {@code sums}: kh*kw*c*lanes(f) floats. */
    public static void weightGradient(float[] x, float[] dy, float[] dw, float[] sums, float[] padded,
                                      int rows, int h, int w, int c, int kh, int kw, int stride, int padTop, int padLeft,
                                      int oh, int ow, int f) {
        int fp = lanes(f);
        Image src = Image.of(x, padded, rows, h, w, c, kh, kw, stride, padTop, padLeft, oh, ow);
        int k = kh * kw * c;
        for (int t = 0; t < k; t += TILE) {
            // as in forward, the last tile moves back and computes some elements twice, identically
            int k0 = Math.max(0, Math.min(t, k - TILE));
            int o0 = src.offset(k0, kw, c), o1 = src.offset(at(k0 + 1, k), kw, c), o2 = src.offset(at(k0 + 2, k), kw, c);
            int o3 = src.offset(at(k0 + 3, k), kw, c), o4 = src.offset(at(k0 + 4, k), kw, c), o5 = src.offset(at(k0 + 5, k), kw, c);
            for (int fo = 0; fo < f; fo += 2 * L) {
                sums(src, o0, o1, o2, o3, o4, o5, rows, oh, ow, stride, dy, f, fo, sums, fp,
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
            VectorMask<Float> lanes = S.indexInRange(ch, channels);
            FloatVector sum = FloatVector.zero(S);
            for (int q = 0, at = ch; q < n; q++, at += channels) sum = sum.add(FloatVector.fromArray(S, dy, at, lanes));
            sum.intoArray(db, ch, lanes);
        }
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
     * rows ({@code bStride} apart from bStart); then stored at c_i, or added there.
     */
    private static void tile(float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int kh, int kw, int rowStride,
                             int segment, float[] b, int bStart, int bStride, float[] bias, int biasAt,
                             float[] c, int c0, int c1, int c2, int c3, int c4, int c5, int remaining, boolean accumulate) {
        boolean two = remaining > L;
        FloatVector i0 = bias == null ? FloatVector.zero(S) : load(bias, biasAt, remaining);
        FloatVector i1 = bias == null || !two ? FloatVector.zero(S) : load(bias, biasAt + L, remaining - L);
        FloatVector s00 = i0, s01 = i1, s10 = i0, s11 = i1, s20 = i0, s21 = i1;
        FloatVector s30 = i0, s31 = i1, s40 = i0, s41 = i1, s50 = i0, s51 = i1;
        int p = bStart;
        int second = two ? L : 0; // one vector: read the first twice rather than past the packed rows
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                int e = ky * rowStride + kx * segment;
                for (int end = p + segment * bStride; p < end; p += bStride, e++) {
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
            }
        }
        put(s00, s01, c, c0, remaining, accumulate);
        put(s10, s11, c, c1, remaining, accumulate);
        put(s20, s21, c, c2, remaining, accumulate);
        put(s30, s31, c, c3, remaining, accumulate);
        put(s40, s41, c, c4, remaining, accumulate);
        put(s50, s51, c, c5, remaining, accumulate);
    }

    /** Six filter elements (window offsets o_i) times 32 (or the remaining) filters, summed over every pixel of every row. */
    private static void sums(Image src, int o0, int o1, int o2, int o3, int o4, int o5, int rows, int oh, int ow, int stride,
                             float[] dy, int f, int fo, float[] out, int fp, int c0, int c1, int c2, int c3, int c4, int c5) {
        int remaining = f - fo;
        boolean two = remaining > L;
        VectorMask<Float> first = S.indexInRange(0, remaining);
        VectorMask<Float> next = S.indexInRange(L, remaining);
        boolean whole = remaining >= 2 * L;
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00;
        FloatVector s30 = s00, s31 = s00, s40 = s00, s41 = s00, s50 = s00, s51 = s00;
        float[] a = src.data;
        int d = fo;
        for (int r = 0; r < rows; r++) {
            for (int oy = 0; oy < oh; oy++) {
                int base = (r * src.height + oy * stride) * src.width * src.channels;
                for (int ox = 0; ox < ow; ox++, base += stride * src.channels, d += f) {
                    FloatVector b0 = whole ? FloatVector.fromArray(S, dy, d) : FloatVector.fromArray(S, dy, d, first);
                    FloatVector b1 = whole ? FloatVector.fromArray(S, dy, d + L)
                            : two ? FloatVector.fromArray(S, dy, d + L, next) : b0;
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
                }
            }
        }
        // the packed sums have whole vectors of room (fp columns): no mask needed
        int room = Math.min(fp - fo, 2 * L);
        put(s00, s01, out, c0, room, false);
        put(s10, s11, out, c1, room, false);
        put(s20, s21, out, c2, room, false);
        put(s30, s31, out, c3, room, false);
        put(s40, s41, out, c4, room, false);
        put(s50, s51, out, c5, room, false);
    }

    private static FloatVector load(float[] a, int at, int remaining) {
        return remaining >= L ? FloatVector.fromArray(S, a, at) : FloatVector.fromArray(S, a, at, S.indexInRange(0, remaining));
    }

    /** Stores (or adds) the first {@code remaining} of the two vectors' 32 columns at c[at...]. */
    private static void put(FloatVector v0, FloatVector v1, float[] c, int at, int remaining, boolean accumulate) {
        put(v0, c, at, Math.min(remaining, L), accumulate);
        if (remaining > L) put(v1, c, at + L, Math.min(remaining - L, L), accumulate);
    }

    private static void put(FloatVector v, float[] c, int at, int count, boolean accumulate) {
        if (count == L) {
            if (accumulate) v = v.add(FloatVector.fromArray(S, c, at));
            v.intoArray(c, at);
        } else {
            VectorMask<Float> m = S.indexInRange(0, count);
            if (accumulate) v = v.add(FloatVector.fromArray(S, c, at, m));
            v.intoArray(c, at, m);
        }
    }
}
