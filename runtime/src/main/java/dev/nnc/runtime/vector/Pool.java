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
 * <p>A window is one flat loop over its kh * kw places: with C2 in JDK 17, a vector
 * carried through nested loops, or chosen by a condition, is boxed (a hundred times
 * slower).
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
                FloatVector max = FloatVector.fromArray(S, x, window + ch);
                for (int k = 1, at = window + ch, column = 0; k < places; k++) {
                    column++;
                    at += column == kw ? nextRow : c;
                    if (column == kw) column = 0;
                    max = max.max(FloatVector.fromArray(S, x, at));
                }
                max.intoArray(out, o * c + ch);
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
                FloatVector sum = FloatVector.fromArray(S, x, window + ch);
                for (int k = 1, at = window + ch, column = 0; k < places; k++) {
                    column++;
                    at += column == kw ? nextRow : c;
                    if (column == kw) column = 0;
                    sum = sum.add(FloatVector.fromArray(S, x, at));
                }
                sum.mul(scale).intoArray(out, o * c + ch);
            }
        }
    }

    /** Each window's gradient to its first element equal to its maximum, as PyTorch does. */
    public static void maxPoolGradient(float[] x, float[] y, float[] dy, float[] dx, int rows, int h, int w, int c,
                                       int kh, int kw, int stride, int padTop, int padLeft, int oh, int ow, int channels) {
        Arrays.fill(dx, 0, rows * h * w * c, 0f);
        int places = kh * kw;
        int nextRow = (w - kw + 1) * c;
        FloatVector zero = FloatVector.zero(S);
        for (int o = 0, pixels = rows * oh * ow; o < pixels; o++) {
            int window = Images.window(o, h, w, c, stride, oh, ow);
            for (int ch = 0; ch < c; ch += L) {
                FloatVector max = FloatVector.fromArray(S, y, o * c + ch);
                // the gradient not yet given to a maximum, per lane
                FloatVector left = FloatVector.fromArray(S, dy, o * c + ch);
                for (int k = 0, at = window + ch, column = 0; k < places; k++) {
                    VectorMask<Float> hit = FloatVector.fromArray(S, x, at).eq(max);
                    FloatVector.fromArray(S, dx, at).add(zero.blend(left, hit)).intoArray(dx, at);
                    left = left.blend(zero, hit);
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
                FloatVector share = FloatVector.fromArray(S, dy, o * c + ch).mul(scale);
                for (int k = 0, at = window + ch, column = 0; k < places; k++) {
                    FloatVector.fromArray(S, dx, at).add(share).intoArray(dx, at);
                    column++;
                    at += column == kw ? nextRow : c;
                    if (column == kw) column = 0;
                }
            }
        }
    }
}
