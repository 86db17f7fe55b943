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
