package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The convolution kernels of training and prediction, as implicit matrix products over
 * tiles: no im2col buffer, the windows are read in place. Images are rows of [height,
 * width, channels] (channels last), filters [filters, channels, kh, kw] as PyTorch
 * stores them, repacked (a few thousand floats: at each training call, once for
 * prediction, by {@link #pack}) in panels of 64 filters, as {@link Gemm} packs weights,
 * so that each filter element's row of a panel is contiguous and the kernels' loops step
 * by a constant (C2 counts such a loop and keeps its accumulators in registers); a
 * zero-padded copy of the images serves when a window reaches past their edge.
 *
 * <p>The micro-kernels ({@link ConvTiles}) are the one of {@link Gemm}: six rows (output
 * pixels, or for the filter gradient six filter elements) times four vectors of 16
 * columns (two for the last 32 or 16), each accumulator the same chain of FMAs over its
 * window in a fixed order, so a result never depends on the rows around it or on how a
 * batch was split.
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
    /** Filters per panel of packed filters: four vectors. */
    public static final int PANEL = 64;
    /** Window rows at least this long get a kernel call each (see {@link #forward}). */
    private static final int LONG_RUN = L;

    private Conv() {}

    /**
     * out = x * filters + bias, or relu of that when {@code relu} is 1. The filters as
     * {@link #pack} packs them: {@code prepacked} when prediction packed them once, else
     * packed now into {@code packed} ({@link #packedSize} floats); {@code padded} is null
     * unless the window leaves the image. One image of {@link Helper#SPLIT_MACS} or more
     * multiply-adds gives half its tiles to the {@link Helper}'s core.
     */
    public static void forward(float[] x, float[] filters, float[] bias, float[] out, float[] prepacked, float[] packed,
                               float[] padded, int rows, int h, int w, int c, int kh, int kw, int stride, int padTop,
                               int padLeft, int oh, int ow, int f, int relu) {
        float floor = relu == 1 ? 0f : Float.NEGATIVE_INFINITY;
        int panelStart = 0;
        if (prepacked != null) {
            packed = prepacked;
            panelStart = Gemm.FIRST;
        } else {
            packInto(filters, packed, 0, f, c, kh, kw);
        }
        int sh = padded == null ? h : Images.paddedHeight(h, kh, stride, padTop, oh);
        int sw = padded == null ? w : Images.paddedWidth(w, kw, stride, padLeft, ow);
        float[] src = padded == null ? x : padded;
        if (padded != null) Images.pad(x, padded, rows, h, w, c, sh, sw, padTop, padLeft);
        int pixels = rows * oh * ow;
        if (rows == 1 && pixels >= 4 * TILE && (long) pixels * kh * kw * c * f >= Helper.SPLIT_MACS && Helper.tryClaim()) {
            // one image: the second half of the tiles on the helper's core
            int mid = (pixels + TILE - 1) / TILE / 2 * TILE;
            FORWARD_HALF.set(src, packed, panelStart, bias, out, mid, pixels, sh, sw, c, kh, kw, stride, oh, ow, f, floor);
            Helper.post(FORWARD_HALF);
            tiles(src, packed, panelStart, bias, out, 0, mid, pixels, sh, sw, c, kh, kw, stride, oh, ow, f, floor);
            Helper.join();
        } else {
            tiles(src, packed, panelStart, bias, out, 0, pixels, pixels, sh, sw, c, kh, kw, stride, oh, ow, f, floor);
        }
    }

    /**
     * The output pixels from {@code from} to {@code to} (a multiple of six apart, or to the
     * last of all {@code pixels}) of every filter; the panels start at {@code packed[panelStart]}.
     */
    private static void tiles(float[] src, float[] packed, int panelStart, float[] bias, float[] out, int from, int to, int pixels,
                              int sh, int sw, int c, int kh, int kw, int stride, int oh, int ow, int f, float floor) {
        int rowStride = sw * c;
        int run = kw * c;
        int k = kh * run;
        for (int q = from; q < to; q += TILE) {
            // the last tile moves back over pixels already done: it writes them again, the same values
            int q0 = Math.max(0, Math.min(q, pixels - TILE));
            int a0 = Images.window(q0, sh, sw, c, stride, oh, ow);
            int a1 = Images.window(at(q0 + 1, pixels), sh, sw, c, stride, oh, ow);
            int a2 = Images.window(at(q0 + 2, pixels), sh, sw, c, stride, oh, ow);
            int a3 = Images.window(at(q0 + 3, pixels), sh, sw, c, stride, oh, ow);
            int a4 = Images.window(at(q0 + 4, pixels), sh, sw, c, stride, oh, ow);
            int a5 = Images.window(at(q0 + 5, pixels), sh, sw, c, stride, oh, ow);
            int c0 = q0 * f, c1 = at(q0 + 1, pixels) * f, c2 = at(q0 + 2, pixels) * f;
            int c3 = at(q0 + 3, pixels) * f, c4 = at(q0 + 4, pixels) * f, c5 = at(q0 + 5, pixels) * f;
            for (int fo = 0; fo < f; fo += f - fo >= 4 * L ? 4 * L : 2 * L) {
                int b = panelStart + fo / PANEL * k * PANEL + fo % PANEL;
                if (run < LONG_RUN) {
                    // short window rows (one channel): the whole window in one call
                    if (f - fo >= 4 * L) {
                        ConvTiles.store4(src, a0, a1, a2, a3, a4, a5, kh, kw, rowStride, c, packed, b, bias, fo, floor,
                                out, c0 + fo, c1 + fo, c2 + fo, c3 + fo, c4 + fo, c5 + fo);
                    } else {
                        ConvTiles.store2(src, a0, a1, a2, a3, a4, a5, kh, kw, rowStride, c, packed, b, bias, fo, floor,
                                out, c0 + fo, c1 + fo, c2 + fo, c3 + fo, c4 + fo, c5 + fo, f - fo);
                    }
                    continue;
                }
                // a call per window row: the first starts from the bias, the next from what the
                // one before stored, the last applies the floor
                for (int ky = 0, off = 0; ky < kh; ky++, off += rowStride) {
                    boolean first = ky == 0;
                    float[] init = first ? bias : out;
                    int i0 = first ? fo : c0 + fo, i1 = first ? fo : c1 + fo, i2 = first ? fo : c2 + fo;
                    int i3 = first ? fo : c3 + fo, i4 = first ? fo : c4 + fo, i5 = first ? fo : c5 + fo;
                    float low = ky == kh - 1 ? floor : Float.NEGATIVE_INFINITY;
                    if (f - fo >= 4 * L) {
                        ConvTiles.run4(src, a0 + off, a1 + off, a2 + off, a3 + off, a4 + off, a5 + off, run,
                                packed, b + ky * run * PANEL, init, i0, i1, i2, i3, i4, i5, low,
                                out, c0 + fo, c1 + fo, c2 + fo, c3 + fo, c4 + fo, c5 + fo);
                    } else {
                        ConvTiles.run2(src, a0 + off, a1 + off, a2 + off, a3 + off, a4 + off, a5 + off, run,
                                packed, b + ky * run * PANEL, init, i0, i1, i2, i3, i4, i5, low,
                                out, c0 + fo, c1 + fo, c2 + fo, c3 + fo, c4 + fo, c5 + fo, f - fo);
                    }
                }
            }
        }
    }

    /** The helper's half of one image's {@link #forward}: the arguments of {@link #tiles}. */
    private static final class ForwardHalf implements Runnable {
        private float[] src, packed, bias, out;
        private int panelStart, from, pixels, sh, sw, c, kh, kw, stride, oh, ow, f;
        private float floor;

        void set(float[] src, float[] packed, int panelStart, float[] bias, float[] out, int from, int pixels, int sh, int sw, int c,
                 int kh, int kw, int stride, int oh, int ow, int f, float floor) {
            this.src = src; this.packed = packed; this.panelStart = panelStart; this.bias = bias; this.out = out;
            this.from = from; this.pixels = pixels; this.sh = sh; this.sw = sw; this.c = c; this.kh = kh; this.kw = kw;
            this.stride = stride; this.oh = oh; this.ow = ow; this.f = f; this.floor = floor;
        }

        @Override
        public void run() {
            tiles(src, packed, panelStart, bias, out, from, pixels, pixels, sh, sw, c, kh, kw, stride, oh, ow, f, floor);
            src = packed = bias = out = null; // the model's buffers are not the helper's to keep
        }
    }

    /** Written only by the thread that claimed the {@link Helper}. */
    private static final ForwardHalf FORWARD_HALF = new ForwardHalf();

    /**
     * dx from dy: each output pixel's gradient times the filters, added into its window.
     * The channels come in whole vectors ({@link #fits}). {@code packed}: {@link
     * #packedSize}(c, f, kh, kw) floats (the filters packed in panels of 64 channels);
     * {@code work}: rows of the padded image plus c floats where the tiles past the last
     * pixel write.
     */
    public static void inputGradient(float[] dy, float[] filters, float[] dx, float[] packed, float[] work,
                                     int rows, int h, int w, int c, int kh, int kw, int stride, int padTop, int padLeft,
                                     int oh, int ow, int f) {
        // in panels of 64 channels: for each (ky, kx, fo) in order, its weight for each of the panel's channels
        int k = kh * kw * f;
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                for (int fo = 0; fo < f; fo++) {
                    for (int ci = 0; ci < c; ci++) {
                        packed[(ci / PANEL * k + (ky * kw + kx) * f + fo) * PANEL + ci % PANEL] =
                                filters[((fo * c + ci) * kh + ky) * kw + kx];
                    }
                }
            }
        }
        int ph = Images.paddedHeight(h, kh, stride, padTop, oh);
        int pw = Images.paddedWidth(w, kw, stride, padLeft, ow);
        int junk = rows * ph * pw * c;
        java.util.Arrays.fill(work, 0, junk + c, 0f);
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
            int a0 = q * f, a1 = Math.min(q + 1, last) * f, a2 = Math.min(q + 2, last) * f;
            int a3 = Math.min(q + 3, last) * f, a4 = Math.min(q + 4, last) * f, a5 = Math.min(q + 5, last) * f;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    int off = (ky * pw + kx) * c;
                    int d0 = c0 + off, d1 = place(c1, off, junk), d2 = place(c2, off, junk);
                    int d3 = place(c3, off, junk), d4 = place(c4, off, junk), d5 = place(c5, off, junk);
                    for (int ci = 0; ci < c; ci += c - ci >= 4 * L ? 4 * L : 2 * L) {
                        int b = (ci / PANEL * k + (ky * kw + kx) * f) * PANEL + ci % PANEL;
                        if (c - ci >= 4 * L) {
                            ConvTiles.add4(dy, a0, a1, a2, a3, a4, a5, f, packed, b,
                                    work, d0 + ci, d1 + ci, d2 + ci, d3 + ci, d4 + ci, d5 + ci);
                        } else {
                            ConvTiles.add2(dy, a0, a1, a2, a3, a4, a5, f, packed, b,
                                    work, d0 + ci, d1 + ci, d2 + ci, d3 + ci, d4 + ci, d5 + ci, c - ci);
                        }
                    }
                }
            }
        }
        Images.crop(work, dx, rows, h, w, c, ph, pw, padTop, padLeft);
    }

    /** dfilters from x and dy, summed over every row and pixel. {@code sums}: (kh*kw*c + 1)*lanes(f) floats. */
    public static void weightGradient(float[] x, float[] dy, float[] dw, float[] sums, float[] padded,
                                      int rows, int h, int w, int c, int kh, int kw, int stride, int padTop, int padLeft,
                                      int oh, int ow, int f) {
        int fp = lanes(f);
        int sh = padded == null ? h : Images.paddedHeight(h, kh, stride, padTop, oh);
        int sw = padded == null ? w : Images.paddedWidth(w, kw, stride, padLeft, ow);
        float[] src = padded == null ? x : padded;
        if (padded != null) Images.pad(x, padded, rows, h, w, c, sh, sw, padTop, padLeft);
        int k = kh * kw * c;
        int image = sh * sw * c;
        int pixels = rows * oh * ow;
        int junk = k * fp; // where the rows of the last tile past the last element add up
        java.util.Arrays.fill(sums, 0, junk + fp, 0f);
        // a block of pixels at a time, every filter element over it: the block's output
        // gradients (64 KB for 64 filters) stay in the cache while all the tiles read them
        for (int q0 = 0; q0 < pixels; q0 += SUM_BLOCK) {
            int count = Math.min(SUM_BLOCK, pixels - q0);
            for (int k0 = 0; k0 < k; k0 += TILE) {
                int o0 = Images.offset(k0, sw, kw, c), o1 = Images.offset(at(k0 + 1, k), sw, kw, c);
                int o2 = Images.offset(at(k0 + 2, k), sw, kw, c), o3 = Images.offset(at(k0 + 3, k), sw, kw, c);
                int o4 = Images.offset(at(k0 + 4, k), sw, kw, c), o5 = Images.offset(at(k0 + 5, k), sw, kw, c);
                int c0 = k0 * fp, c1 = k0 + 1 < k ? c0 + fp : junk, c2 = k0 + 2 < k ? c0 + 2 * fp : junk;
                int c3 = k0 + 3 < k ? c0 + 3 * fp : junk, c4 = k0 + 4 < k ? c0 + 4 * fp : junk;
                int c5 = k0 + 5 < k ? c0 + 5 * fp : junk;
                for (int fo = 0; fo < f; fo += f - fo >= 4 * L ? 4 * L : 2 * L) {
                    if (f - fo >= 4 * L) {
                        ConvTiles.sums4(src, image, sw * c, c, o0, o1, o2, o3, o4, o5, q0, count, oh, ow, stride, dy, f, fo,
                                sums, c0 + fo, c1 + fo, c2 + fo, c3 + fo, c4 + fo, c5 + fo);
                    } else {
                        ConvTiles.sums2(src, image, sw * c, c, o0, o1, o2, o3, o4, o5, q0, count, oh, ow, stride, dy, f, fo,
                                sums, c0 + fo, c1 + fo, c2 + fo, c3 + fo, c4 + fo, c5 + fo);
                    }
                }
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
            // four sums of every fourth pixel, so that four additions are in flight, not one;
            // the last pixels are added in scalar code (a vector carried from one loop into
            // another was boxed: 15 times slower, and garbage for the collector)
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            int whole = n - n % 4;
            for (int q = 0, at = ch; q < whole; q += 4, at += 4 * channels) {
                s0 = s0.add(FloatVector.fromArray(S, dy, at));
                s1 = s1.add(FloatVector.fromArray(S, dy, at + channels));
                s2 = s2.add(FloatVector.fromArray(S, dy, at + 2 * channels));
                s3 = s3.add(FloatVector.fromArray(S, dy, at + 3 * channels));
            }
            s0.add(s1).add(s2.add(s3)).intoArray(db, ch);
            for (int q = whole; q < n; q++) {
                for (int j = 0; j < L; j++) db[ch + j] += dy[q * channels + ch + j];
            }
        }
    }

    /**
     * Filters [f][c][kh][kw] in panels of 64 filters, as {@link Gemm} packs a weight matrix:
     * for each window element (ky, kx, ci) in order, its weight in each of the panel's
     * filters (zero past f); {@link #packedSize} floats from {@link Gemm#FIRST} on, in an
     * array that may be longer ({@link AlignedPanels}), for {@link #forward}'s prepacked.
     */
    public static float[] pack(float[] filters, int f, int c, int kh, int kw) {
        float[] packed = AlignedPanels.allocate(Gemm.FIRST + packedSize(f, c, kh, kw));
        packInto(filters, packed, Gemm.FIRST, f, c, kh, kw);
        return packed;
    }

    /** Floats of the panels of packed filters. */
    public static int packedSize(int f, int c, int kh, int kw) {
        return (f + PANEL - 1) / PANEL * PANEL * kh * kw * c;
    }

    private static void packInto(float[] filters, float[] packed, int first, int f, int c, int kh, int kw) {
        int k = kh * kw * c;
        for (int fo = 0; fo < f; fo++) {
            int column = first + fo / PANEL * k * PANEL + fo % PANEL;
            for (int ci = 0, from = fo * c * kh * kw; ci < c; ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++, from++) packed[column + ((ky * kw + kx) * c + ci) * PANEL] = filters[from];
                }
            }
        }
    }

    /** Pixels per block of the filter gradient's sums. */
    private static final int SUM_BLOCK = 256;

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

}
