package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Max and mean pooling and their gradients over rows of images [height, width,
 * channels], 16 channels at a time (the channels a multiple of 16, as for {@link Conv}).
 * Pools never pad. Each method gets the window's geometry as twelve ints, as
 * {@link Conv}'s do (the last, filters, is the channels).
 *
 * <p>A window is one flat loop over its kh * kw places, and no vector is carried from
 * one place to the next: the running maximum or sum lives in the output, the gradient
 * not yet given in a 16-float array. With C2 in JDK 17, a vector carried through a loop
 * inside other loops was boxed (ten times slower, and garbage for the collector). For
 * the same reason maxPool and avgPool are twins rather than one method that chooses its
 * operation.
 */
public final class Pool {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;

    private Pool() {}

    public static void maxPool(float[] x, float[] out, int rows, int h, int w, int c, int kh, int kw, int stride,
                               int padTop, int padLeft, int oh, int ow, int channels) {
        if (kh == 2 && kw == 2) {
            if (rows == 1 && oh >= 4 && Helper.tryClaim()) {
                // one image: the lower half of its rows on the helper's core, which computed most
                // of the convolution rows they read (Conv.forward splits them in the same way):
                // little work, but each core then reads what it wrote, from its own cache
                MAX_POOL_HALF.set(x, out, h, w, c, stride, oh / 2, oh, ow);
                Helper.post(MAX_POOL_HALF);
                maxPool2x2(x, out, 1, h, w, c, stride, 0, oh / 2, ow);
                Helper.join();
            } else {
                maxPool2x2(x, out, rows, h, w, c, stride, 0, oh, ow);
            }
            return;
        }
        int places = kh * kw;
        int nextRow = (w - kw + 1) * c;
        for (int o = 0, pixels = rows * oh * ow; o < pixels; o++) {
            int window = Images.window(o, h, w, c, stride, oh, ow);
            for (int ch = 0; ch < c; ch += L) {
                int to = o * c + ch;
                FloatVector.fromArray(S, x, window + ch).intoArray(out, to);
                for (int k = 1, at = window + ch, column = 0; k < places; k++) {
                    column++;
                    at += column == kw ? nextRow : c;
                    if (column == kw) column = 0;
                    FloatVector.fromArray(S, out, to).max(FloatVector.fromArray(S, x, at)).intoArray(out, to);
                }
            }
        }
    }

    /**
     * The usual window, 2 x 2: its four places in straight-line code, and the windows
     * walked row by row (no divisions per pixel), output rows fromY to oh of each image.
     * The same maximum as the general loop: max is associative on floats (NaN wins
     * either way, +0 is above -0).
     */
    private static void maxPool2x2(float[] x, float[] out, int rows, int h, int w, int c, int stride, int fromY, int oh,
                                   int ow) {
        int right = c, down = w * c, step = stride * c;
        for (int r = 0; r < rows; r++) {
            for (int oy = fromY; oy < oh; oy++) {
                int to = ((r * oh + oy) * ow) * c;
                for (int ox = 0, window = (r * h + oy * stride) * down; ox < ow; ox++, window += step) {
                    for (int ch = 0; ch < c; ch += L, to += L) {
                        int at = window + ch;
                        FloatVector top = FloatVector.fromArray(S, x, at).max(FloatVector.fromArray(S, x, at + right));
                        FloatVector bottom = FloatVector.fromArray(S, x, at + down).max(FloatVector.fromArray(S, x, at + down + right));
                        top.max(bottom).intoArray(out, to);
                    }
                }
            }
        }
    }

    /** The helper's half of one image's 2 x 2 max pool: the arguments of {@link #maxPool2x2}. */
    private static final class MaxPoolHalf implements Runnable {
        private float[] x, out;
        private int h, w, c, stride, fromY, oh, ow;

        void set(float[] x, float[] out, int h, int w, int c, int stride, int fromY, int oh, int ow) {
            this.x = x; this.out = out; this.h = h; this.w = w; this.c = c; this.stride = stride;
            this.fromY = fromY; this.oh = oh; this.ow = ow;
        }

        @Override
        public void run() {
            maxPool2x2(x, out, 1, h, w, c, stride, fromY, oh, ow);
            x = out = null; // the model's buffers are not the helper's to keep
        }
    }

    /** Written only by the thread that claimed the {@link Helper}. */
    private static final MaxPoolHalf MAX_POOL_HALF = new MaxPoolHalf();

    public static void avgPool(float[] x, float[] out, int rows, int h, int w, int c, int kh, int kw, int stride,
                               int padTop, int padLeft, int oh, int ow, int channels) {
        int places = kh * kw;
        int nextRow = (w - kw + 1) * c;
        float scale = 1f / places;
        for (int o = 0, pixels = rows * oh * ow; o < pixels; o++) {
            int window = Images.window(o, h, w, c, stride, oh, ow);
            for (int ch = 0; ch < c; ch += L) {
                int to = o * c + ch;
                FloatVector.fromArray(S, x, window + ch).intoArray(out, to);
                for (int k = 1, at = window + ch, column = 0; k < places; k++) {
                    column++;
                    at += column == kw ? nextRow : c;
                    if (column == kw) column = 0;
                    FloatVector.fromArray(S, out, to).add(FloatVector.fromArray(S, x, at)).intoArray(out, to);
                }
                FloatVector.fromArray(S, out, to).mul(scale).intoArray(out, to);
            }
        }
    }

    /**
     * Each window's gradient to its first element equal to its maximum, as PyTorch does;
     * {@code left} (16 floats) holds what is not yet given, per lane.
     */
    public static void maxPoolGradient(float[] x, float[] y, float[] dy, float[] dx, float[] left, int rows, int h, int w,
                                       int c, int kh, int kw, int stride, int padTop, int padLeft, int oh, int ow,
                                       int channels) {
        // windows that tile the image exactly write every element once: no zeros first, no sums
        boolean tiled = stride == kh && stride == kw && oh * stride == h && ow * stride == w;
        if (!tiled) Arrays.fill(dx, 0, rows * h * w * c, 0f);
        if (kh == 2 && kw == 2 && stride == 2) {
            maxPoolGradient2x2(x, y, dy, dx, rows, h, w, c, oh, ow, tiled);
            return;
        }
        int places = kh * kw;
        int nextRow = (w - kw + 1) * c;
        for (int o = 0, pixels = rows * oh * ow; o < pixels; o++) {
            int window = Images.window(o, h, w, c, stride, oh, ow);
            for (int ch = 0; ch < c; ch += L) {
                FloatVector max = FloatVector.fromArray(S, y, o * c + ch);
                FloatVector.fromArray(S, dy, o * c + ch).intoArray(left, 0);
                for (int k = 0, at = window + ch, column = 0; k < places; k++) {
                    FloatVector zero = FloatVector.zero(S);
                    FloatVector given = FloatVector.fromArray(S, left, 0);
                    VectorMask<Float> hit = FloatVector.fromArray(S, x, at).eq(max);
                    FloatVector share = zero.blend(given, hit);
                    if (tiled) {
                        share.intoArray(dx, at);
                    } else {
                        FloatVector.fromArray(S, dx, at).add(share).intoArray(dx, at);
                    }
                    given.blend(zero, hit).intoArray(left, 0);
                    column++;
                    at += column == kw ? nextRow : c;
                    if (column == kw) column = 0;
                }
            }
        }
    }

    /**
     * The usual window, 2 x 2 with stride 2 (windows that do not overlap): the gradient
     * to the first of the four places equal to the maximum, by masks in straight-line code.
     */
    private static void maxPoolGradient2x2(float[] x, float[] y, float[] dy, float[] dx, int rows, int h, int w, int c,
                                           int oh, int ow, boolean tiled) {
        int right = c, down = w * c, step = 2 * c;
        for (int r = 0, o = 0; r < rows; r++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0, window = (r * h + oy * 2) * down; ox < ow; ox++, window += step) {
                    for (int ch = 0; ch < c; ch += L, o += L) {
                        int at = window + ch;
                        FloatVector max = FloatVector.fromArray(S, y, o);
                        FloatVector given = FloatVector.fromArray(S, dy, o);
                        FloatVector zero = FloatVector.zero(S);
                        VectorMask<Float> first = FloatVector.fromArray(S, x, at).eq(max);
                        VectorMask<Float> second = FloatVector.fromArray(S, x, at + right).eq(max).andNot(first);
                        VectorMask<Float> taken = first.or(second);
                        VectorMask<Float> third = FloatVector.fromArray(S, x, at + down).eq(max).andNot(taken);
                        VectorMask<Float> fourth = FloatVector.fromArray(S, x, at + down + right).eq(max).andNot(taken.or(third));
                        give(zero.blend(given, first), dx, at, tiled);
                        give(zero.blend(given, second), dx, at + right, tiled);
                        give(zero.blend(given, third), dx, at + down, tiled);
                        give(zero.blend(given, fourth), dx, at + down + right, tiled);
                    }
                }
            }
        }
    }

    /** share into dx at {@code at}: stored when the windows tile the image, else added. */
    private static void give(FloatVector share, float[] dx, int at, boolean tiled) {
        if (tiled) {
            share.intoArray(dx, at);
        } else {
            FloatVector.fromArray(S, dx, at).add(share).intoArray(dx, at);
        }
    }

    public static void avgPoolGradient(float[] dy, float[] dx, int rows, int h, int w, int c, int kh, int kw, int stride,
                                       int padTop, int padLeft, int oh, int ow, int channels) {
        Arrays.fill(dx, 0, rows * h * w * c, 0f);
        int places = kh * kw;
        int nextRow = (w - kw + 1) * c;
        float scale = 1f / places;
        for (int o = 0, pixels = rows * oh * ow; o < pixels; o++) {
            int window = Images.window(o, h, w, c, stride, oh, ow);
            for (int ch = 0; ch < c; ch += L) {
                for (int k = 0, at = window + ch, column = 0; k < places; k++) {
                    FloatVector share = FloatVector.fromArray(S, dy, o * c + ch).mul(scale);
                    FloatVector.fromArray(S, dx, at).add(share).intoArray(dx, at);
                    column++;
                    at += column == kw ? nextRow : c;
                    if (column == kw) column = 0;
                }
            }
        }
    }
}
